import request from 'supertest';
import { startTestApp, untilReady, type TestApp } from '../support/test-app';

describe('health probes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ throughProxy: true });
  });
  afterAll(() => t.close());

  /** Nothing a probe answers may reveal credentials or connection details. */
  function expectNoSecrets(text: string): void {
    expect(text).not.toContain(t.adminToken);
    expect(text).not.toContain(t.database.url);
    expect(text).not.toMatch(/postgres(ql)?:\/\//i);
    expect(text).not.toMatch(/password|secret|ib_[A-Za-z0-9_-]{20,}/i);
    expect(text).not.toMatch(/\bat \S+:\d+:\d+/);
  }

  it('/healthz answers 200 { status: ok } without a token', async () => {
    const response = await request(t.url).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ status: 'ok' });
    expectNoSecrets(JSON.stringify({ headers: response.headers, body: response.text }));
  });

  it('/readyz answers 200 { status: ready } while the database is up', async () => {
    const response = await request(t.url).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready' });
    expectNoSecrets(JSON.stringify({ headers: response.headers, body: response.text }));
  });

  it('/readyz answers 503 with Retry-After and without details while the database is cut off, and recovers', async () => {
    t.proxy!.cut();
    try {
      const response = await request(t.url).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(['database unreachable', 'reconnecting to change notifications']).toContain(response.body.status);
      expectNoSecrets(JSON.stringify({ headers: response.headers, body: response.text }));
      expect((await request(t.url).get('/healthz')).status).toBe(200);
    } finally {
      t.proxy!.restore();
    }
    await untilReady(t);
  });

  it('the probes ignore a bad Authorization header (they are not authenticated)', async () => {
    expect((await request(t.url).get('/healthz').set('Authorization', 'Bearer nonsense')).status).toBe(200);
    expect((await request(t.url).get('/readyz').set('Authorization', 'Bearer nonsense')).status).toBe(200);
  });

  it('an unknown path is 404 without internals', async () => {
    const response = await request(t.url).get('/nope');
    expect(response.status).toBe(404);
    expectNoSecrets(response.text);
  });

  it('answers every request with a generated request id when the caller sent none', async () => {
    const response = await request(t.url).get('/healthz');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a caller-chosen x-request-id, and answers no secrets in headers', async () => {
    const response = await request(t.url).get('/healthz').set('x-request-id', 'trace-abc-123');
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe('trace-abc-123');
    expectNoSecrets(JSON.stringify(response.headers));
    expect(Object.keys(response.headers)).not.toContain('x-powered-by');
  });
});
