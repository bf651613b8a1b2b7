import request from 'supertest';
import { ManualClock } from '../../src/shared/clock';
import { createGenericWebhook } from '../support/generic-webhook';
import { startTestApp, type TestApp } from '../support/test-app';

const trigger = { routing_key: 'r', dedup_key: 'k', event_action: 'trigger', payload: { summary: 'disk full', source: 'db-1', severity: 'critical' } };

describe('dead letters stay bounded', () => {
  const clock = new ManualClock('2026-04-01T10:00:00Z');
  let t: TestApp;
  let hook: { id: string; secret: string };
  const db = () => t.app.db;
  const count = async (where = 'true', params: unknown[] = []) => Number((await db().query(`SELECT count(*) FROM dead_letter WHERE ${where}`, params))[0].count);

  beforeAll(async () => {
    // Guessing from one address is limited separately (rate limits); here every guess gets through to be rejected.
    t = await startTestApp({ clock, config: { AUTH_FAILURE_LIMIT: '100000', DEAD_LETTER_ANONYMOUS_SAMPLE: '10', DEAD_LETTER_RETENTION_DAYS: '7', DEAD_LETTER_MAX_ROWS: '60' } });
    hook = await createGenericWebhook(t, 'Bounds');
  });
  afterAll(() => t.close());

  async function inParallel(total: number, send: (index: number) => request.Test): Promise<number[]> {
    const statuses: number[] = [];
    for (let start = 0; start < total; start += 20) {
      const wave = Array.from({ length: Math.min(20, total - start) }, (_, offset) => send(start + offset));
      statuses.push(...(await Promise.all(wave)).map((response) => response.status));
    }
    return statuses;
  }

  const countsOf = async (since: string) =>
    (
      await t.gql<{ unauthenticatedWebhookCounts: Array<{ integrationId: string | null; reason: string; rejected: number; kept: number }> }>(
        `query($since: DateTime) { unauthenticatedWebhookCounts(since: $since) { integrationId reason rejected kept } }`,
        { since },
      )
    ).data!.unauthenticatedWebhookCounts;

  it('keeps a capped sample of unauthenticated rejections, without their headers, and counts every one', async () => {
    const before = await count();
    const padding = 'p'.repeat(15 * 1024);
    const guesses = await inParallel(400, (index) =>
      request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', `Bearer whk_guess_${index}`).set('X-Padding', padding).send(trigger),
    );
    const unknown = await inParallel(200, (index) => request(t.url).post(`/webhooks/00000000-0000-4000-8000-${String(index).padStart(12, '0')}`).send(trigger));
    expect(new Set(guesses)).toEqual(new Set([401]));
    expect(new Set(unknown)).toEqual(new Set([404]));

    expect(await count()).toBe(before + 20);
    const kept = await db().query(`SELECT headers, pg_column_size(headers) AS size, query, body FROM dead_letter WHERE reason IN ('unauthorized', 'unknown_integration')`);
    for (const letter of kept) {
      expect(letter.headers['x-padding']).toBeUndefined();
      expect(letter.size).toBeLessThan(600);
      expect(letter).toMatchObject({ query: null, body: null });
    }
    expect(await countsOf('2026-04-01T00:00:00Z')).toEqual(
      expect.arrayContaining([
        { integrationId: hook.id, reason: 'unauthorized', rejected: 400, kept: 10 },
        { integrationId: null, reason: 'unknown_integration', rejected: 200, kept: 10 },
      ]),
    );
    const metrics = (await request(t.url).get('/metrics')).text;
    expect(metrics).toMatch(/incident_bridge_ingest_requests_total\{vendor="GENERIC",outcome="unauthorized"\} 400/);
  });

  it('answers the requests beyond the sample with deadLetterId null and starts a new sample each hour', async () => {
    const beyond = await request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', 'Bearer whk_nope').send(trigger);
    expect(beyond.status).toBe(401);
    expect(beyond.body.deadLetterId).toBeNull();
    clock.advance(3600_000);
    const nextHour = await request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', 'Bearer whk_nope').send(trigger);
    expect(nextHour.body.deadLetterId).toEqual(expect.any(String));
  });

  it('still keeps the full headers and body of an authenticated rejection', async () => {
    const response = await request(t.url)
      .post(`/webhooks/${hook.id}`)
      .set('Authorization', `Bearer ${hook.secret}`)
      .set('X-Trace', 'trace-1')
      .send({ event_action: 'explode' });
    expect(response.status).toBe(422);
    const [letter] = await db().query(`SELECT headers, body FROM dead_letter WHERE id = $1`, [response.body.deadLetterId]);
    expect(letter.headers['x-trace']).toBe('trace-1');
    expect(letter.body.toString()).toContain('explode');
  });

  it('the retention job deletes dead letters older than DEAD_LETTER_RETENTION_DAYS and beyond DEAD_LETTER_MAX_ROWS, newest kept', async () => {
    const old = await request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', `Bearer ${hook.secret}`).send({ event_action: 'explode' });
    clock.advance(8 * 24 * 3600_000);
    const sends = await inParallel(70, () => request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', `Bearer ${hook.secret}`).send({ event_action: 'explode' }));
    expect(new Set(sends)).toEqual(new Set([422]));
    clock.advance(1000);
    const newest = await request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', `Bearer ${hook.secret}`).send({ event_action: 'explode' });

    await t.app.scheduler.trigger('dead-letter-retention');
    expect(await count()).toBe(60);
    expect(await count('id = $1', [old.body.deadLetterId])).toBe(0);
    expect(await count('id = $1', [newest.body.deadLetterId])).toBe(1);
    expect(await count('received_at < $1', [new Date(clock.now().getTime() - 7 * 24 * 3600_000)])).toBe(0);
    // Counts of unauthenticated rejections age out with the same retention.
    expect(await countsOf('2026-01-01T00:00:00Z')).toEqual([]);
  });
});
