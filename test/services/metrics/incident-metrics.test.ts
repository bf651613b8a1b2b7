import request from 'supertest';
import { ActorType, IncidentSource, MetricGroup, Priority, Resolution } from '../../../src/schema/enums';
import type { IncidentMetricsRow } from '../../../src/schema/metrics.types';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { ErrorCode } from '../../../src/shared/domain-error';
import { startTestApp, type TestApp } from '../../support/test-app';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };
const FROM = new Date('2026-03-27T00:00:00Z');
const TO = new Date('2026-04-02T00:00:00Z');
const LISBON = 'Europe/Lisbon';
const at = (iso: string) => new Date(iso);
const SECOND = 1000;

/**
 * A known history around Lisbon's spring DST change (2026-03-29 01:00 UTC, a 23-hour local day) and a month end,
 * with every timestamp exact, and the exact figures each grouping must give. Incidents, transitions and the first
 * incident's alerts go through the services and the webhook gateway; the escalation step reached and the delivered
 * pages are written as the escalation job and the delivery worker write them (their rows, not their schedules, are
 * what the metrics read).
 *
 *   I0 api P2 opened 03-26 12:00 (before `from`: not counted), resolved 03-27 12:00
 *   I1 api P1 via the webhook 03-28 10:00, ack +120 s, mitigated +600 s, resolved +1800 s; 2 alerts, one repeated twice;
 *      escalated to step 2; pages 2 SMS + 1 EMAIL sent (+1 SMS failed, not counted)
 *   I5 api P1 opened 03-28 10:30, ack +240 s, resolved +600 s
 *   I2 api P2 opened 03-29 23:30 (local 03-30 00:30), ack +300 s, resolved +3600 s as FALSE_POSITIVE; 1 SLACK page
 *   I4 web P1 opened 03-30 12:00, never acknowledged, resolved +7200 s; review impact start 900 s before opening
 *   I3 web P3 CUSTOMER_REPORT opened 03-31 23:30 (local 04-01 00:30), ack +60 s, resolved 04-02 01:00 (after `to`)
 */
describe('incidentMetrics: exact figures for a known history', () => {
  const clock = new ManualClock('2026-03-26T12:00:00Z');
  let t: TestApp;
  let api: string;
  let web: string;
  let integrationId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    const { catalog, incidents, integrations, reviews } = t.app.services;
    api = (await catalog.createService({ name: 'API', slug: 'api' })).id;
    web = (await catalog.createService({ name: 'Web', slug: 'web' })).id;
    const hook = await integrations.create({ name: 'monitor', vendor: 'GENERIC', serviceId: api });
    integrationId = hook.integration.id;
    const send = (body: Record<string, unknown>) => request(t.url).post(`/webhooks/${integrationId}`).set('Authorization', `Bearer ${hook.secret}`).send(body);
    const trigger = (key: string) => ({ event_action: 'trigger', dedup_key: key, payload: { summary: `alert ${key}`, severity: 'critical', source: 'db-1', group: 'i1' } });

    const declare = async (key: string, openedAt: string, serviceId: string, priority: Priority, source = IncidentSource.MONITORING) => {
      clock.set(at(openedAt));
      ids[key] = (await incidents.declare(ana, { title: key, serviceId, priority, source })).id;
    };
    const step = async (key: string, seconds: number, action: 'acknowledge' | 'mitigate' | 'resolve', resolution = Resolution.FIXED) => {
      const [{ opened_at: openedAt }] = await t.app.db.query(`SELECT opened_at FROM incident WHERE id = $1`, [ids[key]]);
      clock.set(new Date(openedAt.getTime() + seconds * SECOND));
      if (action === 'resolve') await incidents.resolve(ana, ids[key], resolution);
      else await incidents[action](ana, ids[key]);
    };

    await declare('I0', '2026-03-26T12:00:00Z', api, Priority.P2);
    await step('I0', 86_400, 'resolve');

    clock.set(at('2026-03-28T10:00:00Z'));
    expect((await send(trigger('i1-a'))).status).toBe(202);
    clock.set(at('2026-03-28T10:00:30Z'));
    expect((await send(trigger('i1-a'))).status).toBe(202);
    clock.set(at('2026-03-28T10:00:40Z'));
    expect((await send(trigger('i1-a'))).status).toBe(202);
    clock.set(at('2026-03-28T10:01:00Z'));
    expect((await send(trigger('i1-b'))).status).toBe(202);
    const opened: Array<{ incident_id: string }> = await t.app.db.query(`SELECT DISTINCT incident_id FROM alert WHERE integration_id = $1`, [integrationId]);
    expect(opened).toHaveLength(1);
    ids.I1 = opened[0].incident_id;
    await incidents.update(ana, ids.I1, { priority: Priority.P1 });
    await step('I1', 120, 'acknowledge');
    await step('I1', 600, 'mitigate');
    await step('I1', 1800, 'resolve');

    await declare('I5', '2026-03-28T10:30:00Z', api, Priority.P1);
    await step('I5', 240, 'acknowledge');
    await step('I5', 600, 'resolve');

    await declare('I2', '2026-03-29T23:30:00Z', api, Priority.P2);
    await step('I2', 300, 'acknowledge');
    await step('I2', 3600, 'resolve', Resolution.FALSE_POSITIVE);

    await declare('I4', '2026-03-30T12:00:00Z', web, Priority.P1);
    await step('I4', 7200, 'resolve');
    await reviews.updateSection(ana, { incidentId: ids.I4, detection: { impactStartedAt: at('2026-03-30T11:45:00Z') } });

    await declare('I3', '2026-03-31T23:30:00Z', web, Priority.P3, IncidentSource.CUSTOMER_REPORT);
    await step('I3', 60, 'acknowledge');
    clock.set(at('2026-04-02T01:00:00Z'));
    await incidents.resolve(ana, ids.I3);

    // What the escalation job wrote when I1 reached its second step, and what the delivery worker recorded.
    await t.app.db.query(
      `INSERT INTO incident_escalation (incident_id, policy_snapshot, state, step_index, repeat_index, updated_at) VALUES ($1, '{"steps":[]}', 'STOPPED', 1, 0, $2)`,
      [ids.I1, at('2026-03-28T10:02:00Z')],
    );
    const page = (key: string, channel: string, status: string, n: number) =>
      t.app.db.query(
        `INSERT INTO notification (idempotency_key, incident_id, channel, address, subject, body, reason, status, attempts, max_attempts, next_attempt_at, created_at, sent_at)
         VALUES ($1, $2, $3, 'x', 's', 'b', 'escalation', $4, 1, 5, $5, $5, CASE WHEN $4 = 'SENT' THEN $5::timestamptz END)`,
        [`${key}-${channel}-${n}`, ids[key], channel, status, at('2026-03-28T10:00:00Z')],
      );
    await page('I1', 'SMS', 'SENT', 1);
    await page('I1', 'SMS', 'SENT', 2);
    await page('I1', 'EMAIL', 'SENT', 1);
    await page('I1', 'SMS', 'FAILED', 3);
    await page('I2', 'SLACK', 'SENT', 1);
  }, 60_000);
  afterAll(() => t.close());

  const metrics = (groupBy: MetricGroup[], extra: { timeZone?: string; filter?: Record<string, unknown> } = {}) =>
    t.app.services.incidentMetrics.compute({ from: FROM, to: TO, groupBy, ...extra });
  const counts = (row: IncidentMetricsRow) => [row.opened, row.resolved, row.stillOpen, row.falsePositives];
  const stats = (row: IncidentMetricsRow['timeToAcknowledge']) => [row.count, row.meanSeconds, row.medianSeconds, row.p90Seconds];

  it('totals every incident opened in [from, to), durations only as far as they had happened by `to`', async () => {
    const { total, rows } = await metrics([]);
    expect(rows).toEqual([]);
    expect(counts(total)).toEqual([5, 4, 1, 1]);
    expect(total.falsePositiveShare).toBe(0.25);
    // tta: I1 120, I5 240, I2 300, I3 60 → sorted 60 120 240 300
    expect(stats(total.timeToAcknowledge)).toEqual([4, 180, 180, 282]);
    expect(stats(total.timeToMitigate)).toEqual([1, 600, 600, 600]);
    // ttr: I1 1800, I5 600, I2 3600, I4 7200 (I3 resolved after `to`) → 600 1800 3600 7200
    expect(stats(total.timeToResolve)).toEqual([4, 3300, 2700, 6120]);
    expect(stats(total.timeToDetect)).toEqual([1, 900, 900, 900]);
    expect([total.alerts, total.alertsPerIncident, total.repeatOccurrences]).toEqual([2, 0.4, 2]);
    expect([total.escalated, total.acknowledgedWithinFirstStep]).toEqual([1, 3]);
    expect(total.pagesSent).toBe(4);
    expect(total.pagesByChannel).toEqual([
      { channel: 'SMS', count: 2 },
      { channel: 'EMAIL', count: 1 },
      { channel: 'SLACK', count: 1 },
      { channel: 'WEBHOOK', count: 0 },
    ]);
  });

  it('buckets by local day in Lisbon: the 23-hour DST day, incidents after local midnight, empty days with zeros', async () => {
    const { rows } = await metrics([MetricGroup.DAY], { timeZone: LISBON });
    expect(rows.map((row) => [row.periodStart!.toISOString(), row.periodEnd!.toISOString(), row.opened])).toEqual([
      ['2026-03-27T00:00:00.000Z', '2026-03-28T00:00:00.000Z', 0],
      ['2026-03-28T00:00:00.000Z', '2026-03-29T00:00:00.000Z', 2],
      ['2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z', 0],
      ['2026-03-29T23:00:00.000Z', '2026-03-30T23:00:00.000Z', 2],
      ['2026-03-30T23:00:00.000Z', '2026-03-31T23:00:00.000Z', 0],
      ['2026-03-31T23:00:00.000Z', '2026-04-01T23:00:00.000Z', 1],
      ['2026-04-01T23:00:00.000Z', '2026-04-02T23:00:00.000Z', 0],
    ]);
    const [, day28, , day30, , april1, april2] = rows;
    expect(stats(day28.timeToAcknowledge)).toEqual([2, 180, 180, 228]);
    expect(stats(day28.timeToResolve)).toEqual([2, 1200, 1200, 1680]);
    expect([day28.alerts, day28.alertsPerIncident, day28.escalated, day28.pagesSent]).toEqual([2, 1, 1, 3]);
    expect(counts(day30)).toEqual([2, 2, 0, 1]);
    expect(stats(day30.timeToResolve)).toEqual([2, 5400, 5400, 6840]);
    expect(counts(april1)).toEqual([1, 0, 1, 0]);
    expect(april1.falsePositiveShare).toBeNull();
    expect(stats(april1.timeToResolve)).toEqual([0, null, null, null]);
    expect([counts(april2), april2.alertsPerIncident, stats(april2.timeToAcknowledge)]).toEqual([[0, 0, 0, 0], null, [0, null, null, null]]);
  });

  it('buckets by UTC day without a zone: I2 and I3 fall on the UTC days they opened', async () => {
    const { rows, timeZone } = await metrics([MetricGroup.DAY]);
    expect(timeZone).toBe('UTC');
    expect(rows.map((row) => [row.periodStart!.toISOString().slice(0, 10), row.opened])).toEqual([
      ['2026-03-27', 0],
      ['2026-03-28', 2],
      ['2026-03-29', 1],
      ['2026-03-30', 1],
      ['2026-03-31', 1],
      ['2026-04-01', 0],
    ]);
  });

  it('buckets by month across the month end, in the zone and in UTC', async () => {
    const local = await metrics([MetricGroup.MONTH], { timeZone: LISBON });
    expect(local.rows.map((row) => [row.periodStart!.toISOString(), row.periodEnd!.toISOString(), row.opened])).toEqual([
      ['2026-03-01T00:00:00.000Z', '2026-03-31T23:00:00.000Z', 4],
      ['2026-03-31T23:00:00.000Z', '2026-04-30T23:00:00.000Z', 1],
    ]);
    const utc = await metrics([MetricGroup.MONTH]);
    expect(utc.rows.map((row) => [row.periodStart!.toISOString(), row.opened])).toEqual([
      ['2026-03-01T00:00:00.000Z', 5],
      ['2026-04-01T00:00:00.000Z', 0],
    ]);
  });

  it('buckets by ISO week from Monday', async () => {
    const { rows } = await metrics([MetricGroup.WEEK], { timeZone: LISBON });
    expect(rows.map((row) => [row.periodStart!.toISOString(), row.periodEnd!.toISOString(), row.opened])).toEqual([
      ['2026-03-23T00:00:00.000Z', '2026-03-29T23:00:00.000Z', 2],
      ['2026-03-29T23:00:00.000Z', '2026-04-05T23:00:00.000Z', 3],
    ]);
  });

  it('groups by service × priority with every priority listed, and by source and integration', async () => {
    const bySP = await metrics([MetricGroup.SERVICE, MetricGroup.PRIORITY], { filter: { serviceIds: [api, web] } });
    const name = (id: string | null) => (id === api ? 'api' : id === web ? 'web' : id);
    const listed = bySP.rows.map((row) => [name(row.serviceId), row.priority, row.opened]);
    expect(listed.filter(([service]) => service === 'api')).toEqual([
      ['api', 'P1', 2],
      ['api', 'P2', 1],
      ['api', 'P3', 0],
      ['api', 'P4', 0],
    ]);
    expect(listed.filter(([service]) => service === 'web')).toEqual([
      ['web', 'P1', 1],
      ['web', 'P2', 0],
      ['web', 'P3', 1],
      ['web', 'P4', 0],
    ]);
    const apiP1 = bySP.rows.find((row) => row.serviceId === api && row.priority === Priority.P1)!;
    expect(stats(apiP1.timeToAcknowledge)).toEqual([2, 180, 180, 228]);

    const bySource = await metrics([MetricGroup.SOURCE]);
    expect(bySource.rows.map((row) => [row.source, row.opened])).toEqual([
      ['CUSTOMER_REPORT', 1],
      ['INTERNAL', 0],
      ['MAINTENANCE', 0],
      ['MONITORING', 4],
      ['PROVIDER', 0],
    ]);
    const byIntegration = await metrics([MetricGroup.INTEGRATION]);
    expect(byIntegration.rows.map((row) => [row.integrationId, row.opened, row.alerts])).toEqual([
      [null, 4, 0],
      [integrationId, 1, 2],
    ]);
  });

  it('filters by priority, status and integration; the total is of the filtered incidents', async () => {
    expect(counts((await metrics([], { filter: { priorities: [Priority.P1] } })).total)).toEqual([3, 3, 0, 0]);
    expect(counts((await metrics([], { filter: { statuses: ['RESOLVED'] } })).total)).toEqual([5, 4, 1, 1]);
    expect(counts((await metrics([], { filter: { integrationIds: [integrationId] } })).total)).toEqual([1, 1, 0, 0]);
    expect(counts((await metrics([], { filter: { sources: [IncidentSource.PROVIDER] } })).total)).toEqual([0, 0, 0, 0]);
  });

  it('refuses a reversed period, an unknown zone, two time groups and ids that are not UUIDs, naming the field', async () => {
    const { incidentMetrics } = t.app.services;
    await expect(incidentMetrics.compute({ from: TO, to: FROM })).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: 'to' });
    await expect(incidentMetrics.compute({ from: FROM, to: TO, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: 'timeZone' });
    await expect(incidentMetrics.compute({ from: FROM, to: TO, groupBy: [MetricGroup.DAY, MetricGroup.WEEK] })).rejects.toMatchObject({ field: 'groupBy' });
    await expect(incidentMetrics.compute({ from: FROM, to: TO, filter: { serviceIds: ['nope'] } })).rejects.toMatchObject({ field: 'filter.serviceIds[0]' });
    await expect(incidentMetrics.compute({ from: new Date('2020-01-01T00:00:00Z'), to: TO, groupBy: [MetricGroup.DAY] })).rejects.toMatchObject({ field: 'to' });
  });
});
