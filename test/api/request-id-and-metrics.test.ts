import { Writable } from 'node:stream';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('x-request-id', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    t = await startTestApp({ config: { LOG_LEVEL: 'info' }, logDestination: sink });
  });
  afterAll(() => t.close());

  it('keeps a short printable id the caller sends, in the answer and the logs', async () => {
    const response = await request(t.url).get('/healthz').set('X-Request-Id', 'trace-42.a:b');
    expect(response.headers['x-request-id']).toBe('trace-42.a:b');
    expect(lines.some((line) => JSON.parse(line).reqId === 'trace-42.a:b')).toBe(true);
  });

  it.each([
    ['5,000 characters', 'x'.repeat(5000)],
    ['characters outside printable ASCII', 'na\u00efve-id'],
    ['spaces and quotes', 'a "quoted" id'],
  ])('replaces an id of %s with a generated one, and never logs it', async (_label, id) => {
    const response = await request(t.url).get('/healthz').set('X-Request-Id', id);
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(lines.join('\n')).not.toContain(id);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  const metricsToken = 'scrape-0123456789abcdef';
  beforeAll(async () => {
    t = await startTestApp({ config: { METRICS_TOKEN: metricsToken } });
  });
  afterAll(() => t.close());

  it('answers 401 without the token or with another one, and serves the metrics with it', async () => {
    const anonymous = await request(t.url).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(anonymous.text).not.toContain('incident_bridge_');
    const wrong = await request(t.url).get('/metrics').set('Authorization', `Bearer ${t.adminToken}`);
    expect(wrong.status).toBe(401);
    const scraped = await request(t.url).get('/metrics').set('Authorization', `Bearer ${metricsToken}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('incident_bridge_ingest_requests_total');
  });
});
