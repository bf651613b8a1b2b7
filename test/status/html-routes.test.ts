import request from 'supertest';
import { ActorType, Audience, Priority } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { startTestApp, untilReady, type TestApp } from '../support/test-app';

const responder: Actor = { type: ActorType.SYSTEM, id: null, name: 'Casey Responder' };

function expectDocumentHeaders(response: request.Response): void {
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+='; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
}

describe('GET /status and /status/:slug (HTML)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ throughProxy: true, config: { JOBS_ENABLED: 'false' } });
    const api = await t.app.services.catalog.createService({ name: 'Checkout API', slug: 'checkout', public: true });
    await t.app.services.catalog.createService({ name: 'Ledger internals', slug: 'ledger' });
    const incident = await t.app.services.incidents.declare(responder, { title: 'Checkout errors', serviceId: api.id, priority: Priority.P2 });
    await t.app.services.statusUpdates.post(responder, incident.id, 'Some payments fail; we are on it.', Audience.PUBLIC);
    await t.app.services.statusUpdates.post(responder, incident.id, 'INTERNAL: pg-3 replica lag 40 s', Audience.INTERNAL);
  });
  afterAll(() => t.close());

  it('serves the main page at /status without a token, with its public components, incident and update only', async () => {
    const response = await request(t.url).get('/status');
    expect(response.status).toBe(200);
    expectDocumentHeaders(response);
    expect(response.text).toContain('<h1>Service status</h1>');
    expect(response.text).toContain('<h2 id="overall-status">Partial System Outage</h2>');
    expect(response.text).toMatch(/Checkout API<\/span>\s*<span class="state tone-partial">Partial outage<\/span>/);
    expect(response.text).toContain('>Checkout errors</h3>');
    expect(response.text).toContain('<strong>Investigating</strong> Some payments fail; we are on it.');
    for (const internal of ['pg-3', 'Ledger internals', 'Casey']) expect(response.text).not.toContain(internal);
  });

  it('serves the same page at /status/main, and the external page at /status/external', async () => {
    const [root, main] = await Promise.all([request(t.url).get('/status'), request(t.url).get('/status/main')]);
    expect(main.status).toBe(200);
    expect(main.text).toBe(root.text);
    const external = await request(t.url).get('/status/external');
    expect(external.status).toBe(200);
    expectDocumentHeaders(external);
    expect(external.text).toContain('<h1>External connectivity</h1>');
    expect(external.text).toContain('action="/status/external/subscribers"');
    expect(external.text).not.toContain('Checkout errors');
  });

  it('ignores any Authorization header (public, never authenticated)', async () => {
    const response = await request(t.url).get('/status').set('Authorization', 'Bearer nonsense');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<h1>Service status</h1>');
  });

  it('answers an unknown slug with a 404 page in HTML', async () => {
    for (const path of ['/status/no-such-page', '/status/Main', `/status/${encodeURIComponent('<script>')}`]) {
      const response = await request(t.url).get(path);
      expect(response.status).toBe(404);
      expectDocumentHeaders(response);
      expect(response.text).toContain('<h1 id="message-heading">Status page not found</h1>');
      expect(response.text).not.toContain('<script>');
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await request(t.url).head('/status');
    expect(response.status).toBe(200);
    expectDocumentHeaders(response);
    expect(response.text ?? '').toBe('');
  });

  it('serves the page it holds through a database outage', async () => {
    const held = await request(t.url).get('/status');
    t.proxy!.cut();
    try {
      const during = await request(t.url).get('/status');
      expect([during.status, during.headers.etag]).toEqual([200, held.headers.etag]);
    } finally {
      t.proxy!.restore();
    }
  });

  it('answers 503 in HTML with Retry-After while the database is cut off, and the page again after', async () => {
    // What the cache holds is served through an outage; a page it does not hold needs the database.
    t.app.statusCache.invalidate();
    t.proxy!.cut();
    try {
      const response = await request(t.url).get('/status');
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expectDocumentHeaders(response);
      expect(response.text).toContain('Status page temporarily unavailable');
      expect(response.text).not.toMatch(/postgres|ECONNREFUSED|Connection terminated/i);
    } finally {
      t.proxy!.restore();
    }
    await untilReady(t);
    expect((await request(t.url).get('/status')).status).toBe(200);
  });
});
