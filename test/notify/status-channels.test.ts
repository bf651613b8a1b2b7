import { createStatusChannels, DeliveryError, type StatusChannels } from '../../src/notify';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers/http-receiver';

describe("Status subscribers' channels", () => {
  let http: HttpReceiver;
  const created: StatusChannels[] = [];
  const channels = (allowPrivateUrls: boolean, resolve?: (host: string) => Promise<string[]>) => {
    const made = createStatusChannels({ timeoutMs: 2000, allowPrivateUrls, resolve });
    created.push(made);
    return made;
  };
  const post = { secret: 'whsec_0123456789abcdef', rawBody: '{"page":{}}', idempotencyKey: 'status:1', sentAt: new Date() };

  beforeAll(async () => {
    http = await startHttpReceiver();
  });
  afterAll(async () => {
    for (const made of created) made.close();
    await http.close();
  });

  it('refuses for good, before sending, a webhook or Slack URL on this network, naming the host and not the URL', async () => {
    const guarded = channels(false);
    const refused = await guarded.webhook(`${http.url}/hooks/secret-path`, post).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect(refused).toMatchObject({ retryable: false, message: 'refused to post: the URL host 127.0.0.1 is a loopback address' });
    const slack = await guarded.SLACK.send({ idempotencyKey: 'status:2', to: `${http.url}/services/T000/B000/XXXX`, subject: 's', body: 'b' }).catch((error: unknown) => error);
    expect(slack).toMatchObject({ retryable: false, message: expect.not.stringContaining('XXXX') });
    expect(http.requests).toEqual([]);
  });

  it('checks the name again at each message: one resolving to a private address by now is refused', async () => {
    const rebinding = channels(false, async () => ['10.0.0.7']);
    await expect(rebinding.webhook('https://hooks.example.com/in', post)).rejects.toMatchObject({ retryable: false, message: 'refused to post: the URL host hooks.example.com resolves to 10.0.0.7, which is a private address' });
  });

  it('connects only to the addresses it checked: a name rebound to loopback between check and connection is refused', async () => {
    // The check resolves rebind.example to a public address; the connection's own lookup gets 127.0.0.1, where the
    // receiver listens. Without the guarded connection this message would reach it.
    const answers = (host: string) => {
      let calls = 0;
      return async (name: string) => (name === host && (calls += 1) === 1 ? ['93.184.216.34'] : ['127.0.0.1']);
    };
    const { port } = new URL(http.url);
    const webhook = await channels(false, answers('rebind.example')).webhook(`http://rebind.example:${port}/hooks/rebound`, post).catch((error: unknown) => error);
    expect(webhook).toBeInstanceOf(DeliveryError);
    expect(webhook).toMatchObject({ retryable: false, message: 'refused to post: the URL host rebind.example resolves to 127.0.0.1, which is a loopback address' });
    const slack = await channels(false, answers('slack.rebind.example'))
      .SLACK.send({ idempotencyKey: 'status:3', to: `http://slack.rebind.example:${port}/services/T000/B000/YYYY`, subject: 's', body: 'b' })
      .catch((error: unknown) => error);
    expect(slack).toMatchObject({ retryable: false, message: 'refused to post: the URL host slack.rebind.example resolves to 127.0.0.1, which is a loopback address' });
    expect(http.requests.map((request) => request.path)).toEqual([]);
  });

  it('posts to this network when the deployment allows it', async () => {
    await channels(true).webhook(`${http.url}/hooks/allowed`, post);
    expect(http.requests.map((request) => request.path)).toEqual(['/hooks/allowed']);
  });
});
