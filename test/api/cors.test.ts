import request from 'supertest';
import { loadConfig } from '../../src/config';
import { startTestApp, type TestApp } from '../support/test-app';

const FRONTEND = 'https://status.example.com';

describe('browser frontends on another origin (CORS_ORIGINS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { CORS_ORIGINS: `${FRONTEND}, http://localhost:5173` } });
  });
  afterAll(() => t.close());

  it('answers the preflight of a listed origin with what the browser needs', async () => {
    const preflight = await request(t.url)
      .options('/graphql')
      .set('Origin', FRONTEND)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets the listed origin read the answer of a real query', async () => {
    const response = await request(t.url)
      .post('/graphql')
      .set('Origin', FRONTEND)
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ query: '{ me { role } }' });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ me: { role: 'ADMIN' } });
    expect(response.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(response.headers['access-control-expose-headers']).toMatch(/x-request-id/);
  });

  it('gives another origin no CORS headers, so its browser keeps the answer from it', async () => {
    const preflight = await request(t.url).options('/graphql').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const response = await request(t.url).post('/graphql').set('Origin', 'https://evil.example').set('Authorization', `Bearer ${t.adminToken}`).send({ query: '{ me { role } }' });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('still refuses simple cross-site requests a browser sends without a preflight (CSRF)', async () => {
    const formPost = await request(t.url)
      .post('/graphql')
      .set('Origin', 'https://evil.example')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ query: 'mutation { createApiToken(input: { name: "x", role: ADMIN }) { secret } }' }));
    expect(formPost.status).toBe(400);
    expect(formPost.text).not.toContain('secret"');
    const simpleGet = await request(t.url).get('/graphql').query({ query: '{ me { role } }' }).set('Origin', 'https://evil.example');
    expect(simpleGet.status).toBe(400);
    expect(simpleGet.text).toMatch(/CSRF|preflight/i);
  });

  it('refuses a wildcard or a path in CORS_ORIGINS at start', () => {
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS.*exact origins/);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/app' })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example,http://localhost:3000' }).CORS_ORIGINS).toEqual(['https://a.example', 'http://localhost:3000']);
  });
});
