import request from 'supertest';
import { ActorType, Priority } from '../../../src/schema/enums';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { startTestApp, type TestApp } from '../../support/test-app';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };
const at = (iso: string) => new Date(iso);

interface Fact {
  alerts: number;
  first_alert_at: Date | null;
  pages_sms: number;
  pages_email: number;
  pages_slack: number;
  pages_webhook: number;
}

/**
 * incident_metric_fact, which the metrics read instead of every alert and page, is kept by triggers: whatever writes
 * alerts and pages (the ingest pipeline's upserts, the delivery worker, plain SQL), each incident's row equals a
 * recount of its alerts and delivered pages, and deleting them (retention) leaves the counts the incident had.
 */
describe('per-incident metric facts', () => {
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let t: TestApp;
  let integrationId: string;
  let secret: string;
  let serviceId: string;

  const send = async (action: 'trigger' | 'resolve', key: string) => {
    const body = { event_action: action, dedup_key: key, payload: { summary: `disk ${key}`, severity: 'critical', source: 'db-1' } };
    expect((await request(t.url).post(`/webhooks/${integrationId}`).set('Authorization', `Bearer ${secret}`).send(body)).status).toBe(202);
  };
  const fact = async (incidentId: string): Promise<Fact | undefined> =>
    (
      await t.app.db.query(
        `SELECT coalesce(f.alerts, 0) AS alerts, f.first_alert_at,
                ${['sms', 'email', 'slack', 'webhook'].map((channel) => `coalesce(f.pages_${channel}, 0) AS pages_${channel}`).join(', ')}
           FROM incident i LEFT JOIN incident_metric_fact f ON f.incident_id = i.id WHERE i.id = $1`,
        [incidentId],
      )
    )[0];
  const recount = async (incidentId: string): Promise<Fact> =>
    (
      await t.app.db.query(
        `SELECT (SELECT count(*)::int FROM alert WHERE incident_id = $1) AS alerts,
                (SELECT min(first_seen_at) FROM alert WHERE incident_id = $1) AS first_alert_at,
                ${['SMS', 'EMAIL', 'SLACK', 'WEBHOOK']
                  .map((channel) => `(SELECT count(*)::int FROM notification WHERE incident_id = $1 AND status = 'SENT' AND sent_at IS NOT NULL AND channel = '${channel}') AS pages_${channel.toLowerCase()}`)
                  .join(', ')}`,
        [incidentId],
      )
    )[0];
  const incidentOf = async (key: string): Promise<string> =>
    (await t.app.db.query(`SELECT incident_id FROM alert WHERE integration_id = $1 AND summary = $2`, [integrationId, `disk ${key}`]))[0].incident_id;
  const page = (incidentId: string, key: string, channel: string, status: string, sentAt: Date | null) =>
    t.app.db.query(
      `INSERT INTO notification (idempotency_key, incident_id, channel, address, subject, body, reason, status, attempts, max_attempts, next_attempt_at, created_at, sent_at)
       VALUES ($1, $2, $3, 'x', 's', 'b', 'escalation', $4, 1, 5, $5, $5, $6)`,
      [key, incidentId, channel, status, clock.now(), sentAt],
    );

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    const { catalog, integrations } = t.app.services;
    serviceId = (await catalog.createService({ name: 'API', slug: 'api' })).id;
    const hook = await integrations.create({ name: 'monitor', vendor: 'GENERIC', serviceId });
    integrationId = hook.integration.id;
    secret = hook.secret;
  }, 60_000);
  afterAll(() => t.close());

  it('counts the alerts and first alert the ingest pipeline writes, and incidentMetrics counts their repeats', async () => {
    clock.set(at('2026-06-01T10:00:00Z'));
    await send('trigger', 'a-1');
    clock.set(at('2026-06-01T10:01:00Z'));
    await send('trigger', 'a-1');
    await send('trigger', 'a-1');
    clock.set(at('2026-06-01T10:02:00Z'));
    await send('trigger', 'a-2');
    for (const key of ['a-1', 'a-2']) expect(await fact(await incidentOf(key))).toEqual(await recount(await incidentOf(key)));
    const counted = await fact(await incidentOf('a-1'));
    expect([counted?.alerts, counted?.first_alert_at]).toEqual([1, at('2026-06-01T10:00:00Z')]);
    const { total } = await t.app.services.incidentMetrics.compute({ from: at('2026-06-01T00:00:00Z'), to: at('2026-06-02T00:00:00Z') });
    expect([total.alerts, total.repeatOccurrences]).toEqual([2, 2]);
    expect((await fact(await incidentOf('a-2')))?.first_alert_at).toEqual(at('2026-06-01T10:02:00Z'));
  });

  it('follows an alert moved to another incident, and pages as they are delivered, re-sent or moved', async () => {
    const first = await incidentOf('a-1');
    const second = await incidentOf('a-2');
    await t.app.db.query(`UPDATE alert SET incident_id = $1 WHERE integration_id = $2 AND summary = 'disk a-2'`, [first, integrationId]);
    expect(await fact(first)).toEqual(await recount(first));
    // The first alert's time is the earliest any of its alerts had: moving one away does not take it back.
    expect({ ...(await fact(second)), first_alert_at: null }).toEqual(await recount(second));
    expect([(await fact(first))?.alerts, (await fact(second))?.alerts]).toEqual([2, 0]);

    await page(first, 'p-1', 'SMS', 'PENDING', null);
    await page(first, 'p-2', 'EMAIL', 'SENT', at('2026-06-01T10:05:00Z'));
    await page(first, 'p-3', 'SLACK', 'FAILED', null);
    expect((await fact(first))?.pages_email).toBe(1);
    await t.app.db.query(`UPDATE notification SET status = 'SENT', sent_at = $2 WHERE idempotency_key = $1`, ['p-1', at('2026-06-01T10:06:00Z')]);
    // One statement changing several pages: one delivered, one taken back (failed after all), one moved.
    await page(first, 'p-4', 'WEBHOOK', 'SENT', at('2026-06-01T10:07:00Z'));
    await t.app.db.query(
      `UPDATE notification SET status = CASE idempotency_key WHEN 'p-3' THEN 'SENT' WHEN 'p-2' THEN 'FAILED' ELSE status END,
              sent_at = CASE idempotency_key WHEN 'p-3' THEN $1::timestamptz ELSE sent_at END,
              incident_id = CASE idempotency_key WHEN 'p-4' THEN $2::uuid ELSE incident_id END
        WHERE idempotency_key IN ('p-2', 'p-3', 'p-4')`,
      [at('2026-06-01T10:08:00Z'), second],
    );
    const firstPages = await fact(first);
    expect(firstPages).toEqual(await recount(first));
    expect([firstPages?.pages_sms, firstPages?.pages_email, firstPages?.pages_slack, firstPages?.pages_webhook]).toEqual([1, 0, 1, 0]);
    expect((await fact(second))?.pages_webhook).toBe(1);
  });

  it('keeps an incident’s counts when retention deletes its alerts, and lets the incident itself be deleted', async () => {
    const first = await incidentOf('a-1');
    const before = await fact(first);
    await t.app.db.query(`DELETE FROM alert WHERE incident_id = $1`, [first]);
    expect(await fact(first)).toEqual(before);
    expect(before?.alerts).toBe(2);

    await send('trigger', 'a-3');
    const doomed = await incidentOf('a-3');
    expect((await fact(doomed))?.alerts).toBe(1);
    await t.app.db.query(`DELETE FROM incident WHERE id = $1`, [doomed]);
    expect(await fact(doomed)).toBeUndefined();
    expect((await t.app.db.query(`SELECT incident_id FROM alert WHERE summary = 'disk a-3'`))[0].incident_id).toBeNull();
  });

  it('counts a page in incidentMetrics only if it was delivered before `to`', async () => {
    clock.set(at('2026-06-02T10:00:00Z'));
    const late = (await t.app.services.incidents.declare(ana, { title: 'Paged late', serviceId, priority: Priority.P2 })).id;
    await page(late, 'late-1', 'SMS', 'SENT', at('2026-06-02T10:01:00Z'));
    await page(late, 'late-2', 'SMS', 'SENT', at('2026-06-02T12:00:00Z'));
    const within = (to: string) =>
      t.app.services.incidentMetrics.compute({ from: at('2026-06-02T00:00:00Z'), to: at(to), groupBy: [] }).then(({ total }) => total.pagesSent);
    expect(await within('2026-06-02T11:00:00Z')).toBe(1);
    expect(await within('2026-06-02T12:00:01Z')).toBe(2);
  });
});
