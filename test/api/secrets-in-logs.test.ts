import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createGenericWebhook } from '../support/generic-webhook';
import { startTestApp, type TestApp } from '../support/test-app';

/** Every line the server logs, as written (pino's JSON), kept in memory. */
function captureLog() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

const guess = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

describe('secrets never reach the logs', () => {
  const log = captureLog();
  let t: TestApp;
  let integrationId: string;
  let webhookSecret: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { LOG_LEVEL: 'trace' }, logDestination: log.stream });
    ({ id: integrationId, secret: webhookSecret } = await createGenericWebhook(t, 'Logs'));
  });
  afterAll(() => t.close());

  const trigger = { routing_key: 'x', event_action: 'trigger', payload: { summary: 'disk full', source: 'db-1', severity: 'critical' } };

  it('redacts key, token and secret query values and credentials in headers on every path, right or wrong', async () => {
    const wrongKey = guess('whk_');
    const wrongBearer = guess('whk_');
    const wrongBasic = guess('whk_');
    const tokenParam = guess('tok_');
    const secretParam = guess('sec_');
    const wrongApiToken = guess('ib_');
    const secrets = [webhookSecret, wrongKey, wrongBearer, wrongBasic, tokenParam, secretParam, wrongApiToken, t.adminToken];
    const hook = `/webhooks/${integrationId}`;

    expect((await request(t.url).post(`${hook}?key=${webhookSecret}`).send(trigger)).status).toBe(202);
    expect((await request(t.url).post(`${hook}?key=${wrongKey}`).send(trigger)).status).toBe(401);
    expect((await request(t.url).post(`${hook}?token=${tokenParam}&secret=${secretParam}&key=${wrongKey}`).send(trigger)).status).toBe(401);
    expect((await request(t.url).post(hook).set('Authorization', `Bearer ${webhookSecret}`).send(trigger)).status).toBe(202);
    expect((await request(t.url).post(hook).set('Authorization', `Bearer ${wrongBearer}`).send(trigger)).status).toBe(401);
    expect((await request(t.url).post(hook).auth('vendor', wrongBasic).send(trigger)).status).toBe(401);
    // Rejections raised before the route runs (body parsing) and after it (the processor).
    expect((await request(t.url).post(`${hook}?key=${webhookSecret}`).set('Content-Type', 'application/json').send('{"broken":')).status).toBe(400);
    expect((await request(t.url).post(`${hook}?key=${webhookSecret}`).set('Content-Type', 'application/json').send(`{"pad":"${'x'.repeat(1024 * 1024)}"}`)).status).toBe(413);
    expect((await request(t.url).post(`/webhooks/not-an-id?key=${wrongKey}`).send(trigger)).status).toBe(404);
    // Paths no route serves are logged by Fastify itself, with the URL inside the message.
    expect((await request(t.url).get(`/no-such-path?token=${tokenParam}&secret=${secretParam}`)).status).toBe(404);
    expect((await request(t.url).post(`/graphql?token=${tokenParam}`).set('Authorization', `Bearer ${t.adminToken}`).send({ query: '{ me { name } }' })).status).toBe(200);
    expect((await request(t.url).post('/graphql').set('Authorization', `Bearer ${wrongApiToken}`).send({ query: '{ me { name } }' })).status).toBe(401);
    // A marker after everything above: once it is logged, every earlier line has been written.
    const marker = `marker-${randomBytes(8).toString('hex')}`;
    expect((await request(t.url).get('/healthz').set('x-request-id', marker)).status).toBe(200);
    await waitFor(() => log.lines.some((line) => line.includes(marker) && line.includes('request completed')));

    const text = log.lines.join('');
    expect(text).toContain(`${hook}?key=[redacted]`);
    expect(text).toContain('token=[redacted]&secret=[redacted]');
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
      expect(text).not.toContain(Buffer.from(`vendor:${secret}`).toString('base64'));
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
