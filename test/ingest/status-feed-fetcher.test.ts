import { createFeedFetcher } from '../../src/ingest/status-feed-fetcher';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers/http-receiver';

/** The poller's GET goes through the same guard as subscribers' posts: checked URL, and a connection to those addresses only. */
describe('status feed fetcher', () => {
  let http: HttpReceiver;

  beforeAll(async () => {
    http = await startHttpReceiver();
  });
  afterAll(() => http.close());

  it('refuses a feed whose name is rebound to loopback between the check and the connection', async () => {
    let calls = 0;
    const resolve = async () => ((calls += 1) === 1 ? ['93.184.216.34'] : ['127.0.0.1']);
    const fetchFeed = createFeedFetcher({ timeoutMs: 2000, maxBytes: 100_000, allowPrivate: false, resolve });
    const { port } = new URL(http.url);
    const answer = await fetchFeed({ url: `http://status.rebind.example:${port}/history.atom` });
    expect(answer).toEqual({ kind: 'failed', status: null, error: 'refused to connect: host status.rebind.example resolves to 127.0.0.1, which is a loopback address' });
    expect(calls).toBe(2);
    expect(http.requests).toEqual([]);
  });

  it('fetches from this network when the deployment allows it', async () => {
    const fetchFeed = createFeedFetcher({ timeoutMs: 2000, maxBytes: 100_000, allowPrivate: true });
    const answer = await fetchFeed({ url: `${http.url}/history.atom` });
    expect(answer).toMatchObject({ status: 200 });
    expect(http.requests.map((request) => request.path)).toEqual(['/history.atom']);
  });
});
