import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

/** Every line the server logs, as written (pino's JSON). */
function captureLog() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

describe('status subscriber endpoints: per-address rate limit, private URLs when allowed, secrets kept out of logs', () => {
  const log = captureLog();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      // Behind a proxy that says who the client is, so the test can be several clients.
      config: { STATUS_SUBSCRIBE_RATE_PER_MINUTE: '3', STATUS_SUBSCRIBER_ALLOW_PRIVATE_URLS: 'true', TRUST_PROXY: 'true', JOBS_ENABLED: 'false', LOG_LEVEL: 'trace' },
      logDestination: log.stream,
    });
  });
  afterAll(() => t.close());

  const from = (client: string) => ({
    subscribe: (body: Record<string, unknown>) => request(t.url).post('/status/main/subscribers').set('X-Forwarded-For', client).send(body),
    confirm: (token: string) => request(t.url).get(`/status/main/subscribers/confirm?token=${token}`).set('X-Forwarded-For', client),
  });
  const rows = (address: string) => t.app.db.query(`SELECT id FROM status_subscriber WHERE address = $1`, [address]);

  it('answers 429 with Retry-After once an address has made its requests of the minute, writing nothing; other addresses are served', async () => {
    const client = from('198.51.100.7');
    expect((await client.subscribe({ channel: 'EMAIL', address: 'one@example.com' })).status).toBe(202);
    expect((await client.confirm('garbage')).status).toBe(400);
    expect((await client.subscribe({ channel: 'EMAIL', address: 'two@example.com' })).status).toBe(202);

    const limited = await client.subscribe({ channel: 'EMAIL', address: 'three@example.com' });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({ error: `too many requests from this address; retry after ${retryAfter} s`, retryAfterSeconds: retryAfter });
    expect(await rows('three@example.com')).toEqual([]);
    expect((await client.confirm('garbage')).status).toBe(429);

    expect((await from('198.51.100.8').subscribe({ channel: 'EMAIL', address: 'three@example.com' })).status).toBe(202);
    expect(await rows('three@example.com')).toHaveLength(1);
  });

  it('accepts a loopback webhook when STATUS_SUBSCRIBER_ALLOW_PRIVATE_URLS is set, and its secret reaches neither the answer nor the log', async () => {
    const secret = `whsec-${randomBytes(18).toString('base64url')}`;
    const answer = await from('198.51.100.9').subscribe({ channel: 'WEBHOOK', address: 'http://127.0.0.1:9/receiver', secret });
    expect(answer.status).toBe(202);
    expect(answer.text).not.toContain(secret);
    const [row] = await t.app.db.query(`SELECT signing_secret, confirmed_at FROM status_subscriber WHERE address = 'http://127.0.0.1:9/receiver'`);
    expect(row.signing_secret).toBe(secret);
    expect(row.confirmed_at).not.toBeNull();
    // A refusal quoting the request must not echo the secret either.
    const refused = await from('198.51.100.10').subscribe({ channel: 'WEBHOOK', address: 'gopher://127.0.0.1/x', secret });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain(secret);

    const marker = `marker-${randomBytes(8).toString('hex')}`;
    expect((await request(t.url).get('/healthz').set('x-request-id', marker)).status).toBe(200);
    while (!log.lines.some((line) => line.includes(marker) && line.includes('request completed'))) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log.lines.join('')).toContain('/status/main/subscribers');
    expect(log.lines.join('')).not.toContain(secret);
  });
});
