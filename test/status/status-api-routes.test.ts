import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import type { PublicPage } from '../../src/services/status/public-page';
import { systemClock } from '../../src/shared/clock';
import { PublicPageCache } from '../../src/status/public-page-cache';
import { registerStatusApiRoutes } from '../../src/status/status-api-routes';
import { STATUSPAGE_V2_DOCUMENTS } from '../../src/status/statuspage-v2';
import { fixturePage } from './public-page-fixture';

const PATHS = [...Object.keys(STATUSPAGE_V2_DOCUMENTS).map((path) => `api/v2/${path}`), 'feed.atom', 'feed.rss'];

/** The routes over fixture pages (the same routes over the real reader: test/status/status-surfaces.test.ts). */
describe('Status API routes', () => {
  let app: FastifyInstance;
  let url: string;
  const reads: string[] = [];

  beforeAll(async () => {
    const pages = new Map<string, PublicPage>([
      ['main', fixturePage()],
      ['external', fixturePage({ id: 'page00000002', slug: 'external', title: 'External connectivity' })],
    ]);
    const source = {
      read: async (slug: string) => {
        reads.push(slug);
        return pages.get(slug) ?? null;
      },
    };
    app = Fastify();
    await registerStatusApiRoutes(app, { cache: new PublicPageCache(source, systemClock, { ttlSeconds: 10 }), publicBaseUrl: 'https://status.example.com', retryAfterSeconds: 5 });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(() => app.close());

  it.each(PATHS)('serves %s of a page by its slug, without a token, cacheable by anyone', async (path) => {
    const response = await request(url).get(`/status/external/${path}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(path.endsWith('.json') ? 'application/json; charset=utf-8' : path.endsWith('.atom') ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['cache-control']).toBe('public, max-age=10');
    expect(response.headers.etag).toMatch(/^"/);
    expect(response.text).toContain('External connectivity');
    expect(response.text).toContain('https://status.example.com/status/external');
    expect((await request(url).get(`/status/external/${path}`).set('If-None-Match', response.headers.etag)).status).toBe(304);
  });

  it.each(PATHS)('serves %s of the main page under /status too', async (path) => {
    const [alias, main] = await Promise.all([request(url).get(`/status/${path}`), request(url).get(`/status/main/${path}`)]);
    expect(alias.status).toBe(200);
    expect(alias.text).toBe(main.text);
    expect(alias.headers.etag).toBe(main.headers.etag);
  });

  it('answers an unknown slug 404 naming the field, and a malformed one without reading', async () => {
    const unknown = await request(url).get('/status/nowhere/api/v2/summary.json');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'there is no status page "nowhere"', field: 'slug' });
    const before = reads.length;
    for (const slug of ['Main', 'a--b', '%3Cscript%3E', '-main']) {
      const response = await request(url).get(`/status/${slug}/feed.atom`);
      expect([slug, response.status, response.body]).toEqual([slug, 404, { error: 'there is no status page', field: 'slug' }]);
    }
    // Longer than any slug: the router refuses it (414) before any route runs.
    expect((await request(url).get(`/status/${'x'.repeat(101)}/feed.atom`)).status).toBe(414);
    expect(reads.length).toBe(before);
  });

  it('refuses other methods with 405 and Allow', async () => {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const response = await request(url)[method]('/status/main/api/v2/summary.json').send({});
      expect([method, response.status, response.headers.allow, response.body.field]).toEqual([method, 405, 'GET, HEAD', 'method']);
    }
  });

  it('answers HEAD with the headers of GET', async () => {
    const get = await request(url).get('/status/main/feed.rss');
    const head = await request(url).head('/status/main/feed.rss');
    expect([head.status, head.headers.etag, head.headers['content-type'], head.text]).toEqual([200, get.headers.etag, get.headers['content-type'], undefined]);
  });
});
