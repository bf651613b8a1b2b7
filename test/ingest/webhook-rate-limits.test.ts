import request from 'supertest';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const trigger = (dedupKey: string) => ({ routing_key: 'r', dedup_key: dedupKey, event_action: 'trigger', payload: { summary: `${dedupKey} down`, source: 'db-1', severity: 'critical' } });

async function integrationOf(t: TestApp, serviceId: string, name: string, options: Record<string, unknown> = {}) {
  const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
    `mutation($s: ID!, $o: JSONObject) { createIntegration(input: { name: "${name}", vendor: GENERIC, serviceId: $s, options: $o }) { integration { id } secret } }`,
    { s: serviceId, o: options },
  );
  expect(created.errors).toBeUndefined();
  return { id: created.data!.createIntegration.integration.id, secret: created.data!.createIntegration.secret };
}

async function serviceOf(t: TestApp): Promise<string> {
  const created = await t.gql<{ createService: { service: { id: string } } }>(`mutation { createService(input: { name: "Limits", slug: "limits" }) { service { id } } }`);
  return created.data!.createService.service.id;
}

const metric = async (t: TestApp, outcome: string) =>
  Number(new RegExp(`incident_bridge_ingest_requests_total\\{vendor="[A-Za-z_]+",outcome="${outcome}"\\} (\\d+)`).exec((await request(t.url).get('/metrics')).text)?.[1] ?? 0);
const deadLetters = async (t: TestApp) => Number((await t.app.db.query(`SELECT count(*) FROM dead_letter`))[0].count);

describe('webhook rate limits', () => {
  describe('failed authentications per client address', () => {
    const clock = new ManualClock('2026-03-01T12:00:00Z');
    let t: TestApp;
    let hook: { id: string; secret: string };
    beforeAll(async () => {
      // The test's requests come from loopback; X-Forwarded-For, trusted from loopback only, gives each client its address.
      t = await startTestApp({ clock, config: { AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '60', TRUST_PROXY: '127.0.0.1' } });
      hook = await integrationOf(t, await serviceOf(t), 'guarded');
    });
    afterAll(() => t.close());

    const from = (address: string) => request(t.url).post(`/webhooks/${hook.id}`).set('X-Forwarded-For', address);

    it('answers 429 with Retry-After once an address has failed too often, even with the right secret, and lets it try again later', async () => {
      for (let attempt = 0; attempt < 3; attempt += 1) expect((await from('203.0.113.7').set('Authorization', 'Bearer whk_guess').send(trigger('a'))).status).toBe(401);
      expect((await request(t.url).post('/webhooks/00000000-0000-4000-8000-000000000000').set('X-Forwarded-For', '203.0.113.7').send({})).status).toBe(404);
      expect((await from('203.0.113.7').send(trigger('a'))).status).toBe(401);
      const lettersBefore = await deadLetters(t);

      const blocked = await from('203.0.113.7').set('Authorization', 'Bearer whk_guess').send(trigger('a'));
      expect(blocked.status).toBe(429);
      // 5 failures a minute: one more attempt every 12 s.
      expect(blocked.headers['retry-after']).toBe('12');
      expect(blocked.body).toMatchObject({ reason: 'too_many_auth_failures', error: expect.stringContaining('authentication'), details: { retryAfterSeconds: 12 } });
      const rightSecret = await from('203.0.113.7').set('Authorization', `Bearer ${hook.secret}`).send(trigger('a'));
      expect(rightSecret.status).toBe(429);
      expect(await deadLetters(t)).toBe(lettersBefore);
      expect(await metric(t, 'too_many_auth_failures')).toBe(2);

      // Another client is not affected.
      expect((await from('198.51.100.20').set('Authorization', `Bearer ${hook.secret}`).send(trigger('b'))).status).toBe(202);

      clock.advance(12_000);
      expect((await from('203.0.113.7').set('Authorization', `Bearer ${hook.secret}`).send(trigger('a'))).status).toBe(202);
    });

    it('counts a whole IPv6 /64 as one client', async () => {
      for (let host = 1; host <= 5; host += 1) expect((await from(`2001:db8:1:2::${host}`).set('Authorization', 'Bearer whk_guess').send(trigger('c'))).status).toBe(401);
      expect((await from('2001:db8:1:2:ffff::99').set('Authorization', `Bearer ${hook.secret}`).send(trigger('c'))).status).toBe(429);
      expect((await from('2001:db8:1:3::1').set('Authorization', `Bearer ${hook.secret}`).send(trigger('c'))).status).toBe(202);
    });

    it('serves one limiter for the whole process, so GraphQL and WebSocket authentication can share it', () => {
      const limiter = t.app.authFailures;
      expect(limiter.isBlocked('192.0.2.50')).toBe(false);
      for (let failure = 0; failure < 5; failure += 1) limiter.recordFailure('192.0.2.50');
      expect(limiter.isBlocked('192.0.2.50')).toBe(true);
      expect(limiter.retryAfterSeconds('192.0.2.50')).toBe(12);
    });
  });

  describe('intake per integration', () => {
    const clock = new ManualClock('2026-03-01T12:00:00Z');
    let t: TestApp;
    let serviceId: string;
    beforeAll(async () => {
      t = await startTestApp({ clock, config: { INGEST_RATE_LIMIT_PER_MINUTE: '100', AUTH_FAILURE_LIMIT: '1000' } });
      serviceId = await serviceOf(t);
    });
    afterAll(() => t.close());

    const send = (hook: { id: string; secret: string }, key: string) => request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', `Bearer ${hook.secret}`).send(trigger(key));

    it('answers a storm on one integration 429 with Retry-After, while the others keep being accepted', async () => {
      const stormy = await integrationOf(t, serviceId, 'stormy', { rateLimitPerMinute: 3 });
      const calm = await integrationOf(t, serviceId, 'calm');
      for (let delivery = 0; delivery < 3; delivery += 1) expect((await send(stormy, `storm-${delivery}`)).status).toBe(202);
      const lettersBefore = await deadLetters(t);
      const limited = await send(stormy, 'storm-3');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('20');
      expect(limited.body).toEqual({
        error: expect.stringContaining('3 deliveries per minute'),
        reason: 'rate_limited',
        details: { limitPerMinute: 3, retryAfterSeconds: 20 },
      });
      // Not kept as a dead letter: the vendor retries after Retry-After, and a storm would otherwise fill the table.
      expect(await deadLetters(t)).toBe(lettersBefore);
      expect(await metric(t, 'rate_limited')).toBe(1);
      expect((await send(calm, 'calm-0')).status).toBe(202);
      const [{ count }] = await t.app.db.query(`SELECT count(*)::int FROM alert WHERE integration_id = $1`, [stormy.id]);
      expect(count).toBe(3);

      clock.advance(20_000);
      expect((await send(stormy, 'storm-3')).status).toBe(202);
      expect((await send(stormy, 'storm-4')).status).toBe(429);
    });

    it('uses INGEST_RATE_LIMIT_PER_MINUTE for integrations without their own limit', async () => {
      const plain = await integrationOf(t, serviceId, 'plain');
      const answers = [];
      for (let delivery = 0; delivery < 101; delivery += 1) answers.push((await send(plain, 'same')).status);
      expect(answers.filter((status) => status === 202)).toHaveLength(100);
      expect(answers[100]).toBe(429);
    });

    it('counts only authenticated deliveries, so guessing cannot use up a vendor’s allowance', async () => {
      const guarded = await integrationOf(t, serviceId, 'guarded', { rateLimitPerMinute: 2 });
      for (let guess = 0; guess < 5; guess += 1) {
        expect((await request(t.url).post(`/webhooks/${guarded.id}`).set('Authorization', 'Bearer whk_guess').send(trigger('g'))).status).toBe(401);
      }
      expect((await send(guarded, 'g')).status).toBe(202);
      expect((await send(guarded, 'g')).status).toBe(202);
    });

    it('takes the limit from updateIntegration options and refuses a limit that is not a positive whole number', async () => {
      const hook = await integrationOf(t, serviceId, 'tuned');
      const updated = await t.gql(`mutation($id: ID!) { updateIntegration(input: { id: $id, options: { rateLimitPerMinute: 1 } }) { integration { options } } }`, { id: hook.id });
      expect(updated.errors).toBeUndefined();
      expect((await send(hook, 't')).status).toBe(202);
      expect((await send(hook, 't')).status).toBe(429);
      const refused = await t.gql(`mutation($id: ID!) { updateIntegration(input: { id: $id, options: { rateLimitPerMinute: 0 } }) { integration { id } } }`, { id: hook.id });
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.rateLimitPerMinute' });
    });
  });
});
