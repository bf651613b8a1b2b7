import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import { etagOf, sendCached } from '../../src/status/conditional-get';

const LAST_MODIFIED = new Date('2026-03-10T09:20:00.750Z');

describe('Conditional GET', () => {
  let app: FastifyInstance;
  let url: string;
  let body = '{"status":"one"}';

  beforeAll(async () => {
    app = Fastify();
    app.get('/doc', async (req, reply) => sendCached(req, reply, { body, contentType: 'application/json; charset=utf-8', lastModified: LAST_MODIFIED, maxAgeSeconds: 7 }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(() => app.close());

  beforeEach(() => {
    body = '{"status":"one"}';
  });

  it('answers the body with a strong ETag of it, Last-Modified and a short public Cache-Control', async () => {
    const response = await request(url).get('/doc');
    expect(response.status).toBe(200);
    expect(response.text).toBe(body);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers.etag).toBe(etagOf(body));
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(response.headers['last-modified']).toBe('Tue, 10 Mar 2026 09:20:00 GMT');
    expect(response.headers['cache-control']).toBe('public, max-age=7');
  });

  it('answers 304 without a body to the ETag it gave, also in a list, weak, or *', async () => {
    const { etag } = (await request(url).get('/doc')).headers;
    for (const ifNoneMatch of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
      const response = await request(url).get('/doc').set('If-None-Match', ifNoneMatch);
      expect([ifNoneMatch, response.status, response.text]).toEqual([ifNoneMatch, 304, '']);
      expect(response.headers.etag).toBe(etag);
      expect(response.headers['last-modified']).toBe('Tue, 10 Mar 2026 09:20:00 GMT');
      expect(response.headers['cache-control']).toBe('public, max-age=7');
    }
  });

  it('answers the new body once it changed, to the old ETag', async () => {
    const { etag } = (await request(url).get('/doc')).headers;
    body = '{"status":"two"}';
    const response = await request(url).get('/doc').set('If-None-Match', etag);
    expect(response.status).toBe(200);
    expect(response.text).toBe('{"status":"two"}');
    expect(response.headers.etag).not.toBe(etag);
  });

  it('answers 304 to If-Modified-Since at or after the last change (in whole seconds), 200 before it or to a bad date', async () => {
    const status = async (since: string) => (await request(url).get('/doc').set('If-Modified-Since', since)).status;
    expect(await status('Tue, 10 Mar 2026 09:20:00 GMT')).toBe(304);
    expect(await status('Tue, 10 Mar 2026 10:00:00 GMT')).toBe(304);
    expect(await status('Tue, 10 Mar 2026 09:19:59 GMT')).toBe(200);
    expect(await status('not a date')).toBe(200);
  });

  it('lets If-None-Match decide when both are sent', async () => {
    const response = await request(url).get('/doc').set('If-None-Match', '"stale"').set('If-Modified-Since', 'Tue, 10 Mar 2026 10:00:00 GMT');
    expect(response.status).toBe(200);
    expect(response.text).toBe(body);
  });

  it('answers HEAD with the same headers and no body', async () => {
    const get = await request(url).get('/doc');
    const head = await request(url).head('/doc');
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
    expect([head.headers.etag, head.headers['last-modified'], head.headers['content-length']]).toEqual([get.headers.etag, get.headers['last-modified'], String(Buffer.byteLength(body))]);
    expect((await request(url).head('/doc').set('If-None-Match', get.headers.etag)).status).toBe(304);
  });
});
