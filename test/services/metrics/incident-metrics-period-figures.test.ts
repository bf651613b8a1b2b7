import request from 'supertest';
import { ActorType, ComponentImpact, MetricGroup, Priority } from '../../../src/schema/enums';
import type { ComponentDowntime, IncidentMetricsRow } from '../../../src/schema/metrics.types';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { startTestApp, type TestApp } from '../../support/test-app';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };
const FROM = new Date('2026-10-24T00:00:00Z');
const TO = new Date('2026-10-27T00:00:00Z');
const BERLIN = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);

/**
 * Downtime per component, alerts suppressed by maintenance, maintenance minutes and communication compliance over a
 * known history around Berlin's autumn DST change (2026-10-25 01:00 UTC: a 25-hour local day), every value exact.
 *
 *   J1 api P1 10-24 10:00–12:00, impacts api MAJOR + web PARTIAL, review impact start 09:30 (span 9,000 s)
 *   J2 api P2 10-24 11:00–13:00, no stated impact: api PARTIAL (its priority's), 12:00–13:00 beyond J1's major outage
 *   J3 web P3 10-26 22:30 (local 23:30), open at `to`: web DEGRADED 5,400 s
 *   W1 api, ran 10-25 00:30–02:30; W2 api + web, ran 02:00–04:00; W3 web, started 10-26 23:30 (local 10-27), still running
 *   two alerts to api at 01:00 and 01:10 under W1 (suppressed), resolved at 01:20
 *   obligations (as the cadence job writes them): J1 notice met early, public update met late, internal update ended
 *   before due (not due), status page update ended after due unmet; J2 call met exactly at due; J3 update due after `to`
 */
describe('incidentMetrics: downtime, maintenance and communication figures', () => {
  const clock = new ManualClock('2026-10-24T09:00:00Z');
  let t: TestApp;
  let api: string;
  let web: string;
  let integrationId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    const { catalog, incidents, integrations, maintenance, reviews, teams } = t.app.services;
    api = (await catalog.createService({ name: 'API', slug: 'api' })).id;
    web = (await catalog.createService({ name: 'Web', slug: 'web' })).id;
    const teamId = (await teams.create({ name: 'Platform' })).id;
    const hook = await integrations.create({ name: 'monitor', vendor: 'GENERIC', serviceId: api });
    integrationId = hook.integration.id;
    const send = async (action: 'trigger' | 'resolve', key: string) => {
      const body = { event_action: action, dedup_key: key, payload: { summary: `disk ${key}`, severity: 'critical', source: 'db-1' } };
      expect((await request(t.url).post(`/webhooks/${integrationId}`).set('Authorization', `Bearer ${hook.secret}`).send(body)).status).toBe(202);
    };

    clock.set(at('2026-10-24T10:00:00Z'));
    ids.J1 = (
      await incidents.declare(ana, {
        title: 'J1',
        serviceId: api,
        priority: Priority.P1,
        componentImpacts: [
          { serviceId: api, impact: ComponentImpact.MAJOR_OUTAGE },
          { serviceId: web, impact: ComponentImpact.PARTIAL_OUTAGE },
        ],
      })
    ).id;
    clock.set(at('2026-10-24T11:00:00Z'));
    ids.J2 = (await incidents.declare(ana, { title: 'J2', serviceId: api, priority: Priority.P2 })).id;
    clock.set(at('2026-10-24T12:00:00Z'));
    await incidents.resolve(ana, ids.J1);
    await reviews.updateSection(ana, { incidentId: ids.J1, detection: { impactStartedAt: at('2026-10-24T09:30:00Z') } });
    clock.set(at('2026-10-24T13:00:00Z'));
    await incidents.resolve(ana, ids.J2);

    const w1 = await maintenance.schedule(ana, { title: 'W1', serviceIds: [api], teamId, startsAt: at('2026-10-25T00:00:00Z'), endsAt: at('2026-10-25T03:00:00Z') });
    const w2 = await maintenance.schedule(ana, { title: 'W2', serviceIds: [api, web], teamId, startsAt: at('2026-10-25T02:00:00Z'), endsAt: at('2026-10-25T04:00:00Z') });
    const w3 = await maintenance.schedule(ana, { title: 'W3', serviceIds: [web], teamId, startsAt: at('2026-10-26T23:30:00Z'), endsAt: at('2026-10-27T02:00:00Z') });
    clock.set(at('2026-10-25T00:30:00Z'));
    await maintenance.start(ana, w1.id);
    clock.set(at('2026-10-25T01:00:00Z'));
    await send('trigger', 'm-1');
    clock.set(at('2026-10-25T01:10:00Z'));
    await send('trigger', 'm-2');
    clock.set(at('2026-10-25T01:20:00Z'));
    await send('resolve', 'm-1');
    await send('resolve', 'm-2');
    clock.set(at('2026-10-25T02:00:00Z'));
    await maintenance.start(ana, w2.id);
    clock.set(at('2026-10-25T02:30:00Z'));
    await maintenance.complete(ana, w1.id);
    clock.set(at('2026-10-25T04:00:00Z'));
    await maintenance.complete(ana, w2.id);

    clock.set(at('2026-10-26T22:30:00Z'));
    ids.J3 = (await incidents.declare(ana, { title: 'J3', serviceId: web, priority: Priority.P3 })).id;
    clock.set(at('2026-10-26T23:30:00Z'));
    await maintenance.start(ana, w3.id);
    clock.set(at('2026-10-27T00:30:00Z'));

    // The obligations as the cadence job leaves them, in place of what the default policy opened.
    await t.app.db.query(`DELETE FROM communication_obligation`);
    const obligation = (key: string, kind: string, dueAt: string, end: { metAt?: string; endedAt?: string } = {}) =>
      t.app.db.query(
        `INSERT INTO communication_obligation (incident_id, kind, due_at, escalate_at, met_at, ended_at, created_at) VALUES ($1, $2, $3, $3, $4, $5, $3)`,
        [ids[key], kind, at(dueAt), end.metAt ? at(end.metAt) : null, end.endedAt ? at(end.endedAt) : null],
      );
    await obligation('J1', 'FIRST_PUBLIC_NOTICE', '2026-10-24T10:15:00Z', { metAt: '2026-10-24T10:10:00Z' });
    await obligation('J1', 'PUBLIC_UPDATE', '2026-10-24T10:45:00Z', { metAt: '2026-10-24T10:50:00Z' });
    await obligation('J1', 'INTERNAL_UPDATE', '2026-10-24T11:15:00Z', { endedAt: '2026-10-24T11:00:00Z' });
    await obligation('J1', 'STATUS_PAGE_UPDATE', '2026-10-24T11:30:00Z', { endedAt: '2026-10-24T11:40:00Z' });
    await obligation('J2', 'INCIDENT_CALL', '2026-10-24T11:30:00Z', { metAt: '2026-10-24T11:30:00Z' });
    await obligation('J3', 'INTERNAL_UPDATE', '2026-10-27T00:15:00Z');
  }, 60_000);
  afterAll(() => t.close());

  const metrics = (groupBy: MetricGroup[], extra: { timeZone?: string; filter?: Record<string, unknown> } = {}) =>
    t.app.services.incidentMetrics.compute({ from: FROM, to: TO, groupBy, ...extra });
  const downtime = (row: IncidentMetricsRow) =>
    Object.fromEntries(
      row.componentDowntime.map((c: ComponentDowntime) => [
        c.serviceId === api ? 'api' : 'web',
        [c.majorOutageSeconds, c.partialOutageSeconds, c.degradedPerformanceSeconds, c.downtimeSeconds],
      ]),
    );
  const period = (row: IncidentMetricsRow) => [row.alertsSuppressedByMaintenance, row.maintenanceMinutes];
  const communication = (row: IncidentMetricsRow) => [row.communicationsDue, row.communicationsOnTime, row.communicationComplianceShare];

  it('totals: components united per impact, maintenance overlaps counted once, obligations due by `to`', async () => {
    const { total } = await metrics([]);
    expect(downtime(total)).toEqual({ api: [9000, 3600, 0, 9000 + 0.3 * 3600], web: [0, 9000, 5400, 0.3 * 9000] });
    // api 00:30–04:00 under W1 ∪ W2 (210 min), web under W2 inside that, W3 23:30 → `to` (30 min).
    expect(period(total)).toEqual([2, 240]);
    expect(communication(total)).toEqual([4, 2, 0.5]);
  });

  it('per local day across the 25-hour day: each figure in its day, the partial last day too', async () => {
    const { rows } = await metrics([MetricGroup.DAY], { timeZone: BERLIN });
    expect(rows.map((row) => [row.periodStart!.toISOString(), row.periodEnd!.toISOString()])).toEqual([
      ['2026-10-23T22:00:00.000Z', '2026-10-24T22:00:00.000Z'],
      ['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
      ['2026-10-25T23:00:00.000Z', '2026-10-26T23:00:00.000Z'],
      ['2026-10-26T23:00:00.000Z', '2026-10-27T23:00:00.000Z'],
    ]);
    expect(rows.map(downtime)).toEqual([{ api: [9000, 3600, 0, 10080], web: [0, 9000, 0, 2700] }, {}, { web: [0, 0, 5400, 0] }, {}]);
    expect(rows.map(period)).toEqual([
      [0, 0],
      [2, 210],
      [0, 0],
      [0, 30],
    ]);
    expect(rows.map(communication)).toEqual([[4, 2, 0.5], [0, 0, null], [0, 0, null], [0, 0, null]]);
  });

  it('per service: its own maintenance and suppressed alerts; components of its incidents', async () => {
    const { rows } = await metrics([MetricGroup.SERVICE]);
    const byService = Object.fromEntries(rows.map((row) => [row.serviceId === api ? 'api' : 'web', row]));
    expect(Object.keys(byService).sort()).toEqual(['api', 'web']);
    expect(period(byService.api)).toEqual([2, 210]);
    expect(period(byService.web)).toEqual([0, 150]);
    expect(downtime(byService.api)).toEqual({ api: [9000, 3600, 0, 10080], web: [0, 9000, 0, 2700] });
    expect(downtime(byService.web)).toEqual({ web: [0, 0, 5400, 0] });
    expect(communication(byService.web)).toEqual([0, 0, null]);
  });

  it('a service with maintenance but no incidents still has its row', async () => {
    await t.app.db.query(`UPDATE incident SET service_id = $1 WHERE id = $2`, [api, ids.J3]);
    try {
      const { rows } = await metrics([MetricGroup.SERVICE]);
      const webRow = rows.find((row) => row.serviceId === web)!;
      expect([webRow.opened, ...period(webRow)]).toEqual([0, 0, 150]);
    } finally {
      await t.app.db.query(`UPDATE incident SET service_id = $1 WHERE id = $2`, [web, ids.J3]);
    }
  });

  it('per integration: suppressed alerts counted for theirs; maintenance has no integration', async () => {
    const { rows } = await metrics([MetricGroup.INTEGRATION]);
    expect(rows.map((row) => [row.integrationId, row.opened, ...period(row)])).toEqual([
      [null, 3, 0, null],
      [integrationId, 0, 2, null],
    ]);
  });

  it('null where a figure has no such group: PRIORITY rows show neither suppression nor maintenance', async () => {
    const { rows, total } = await metrics([MetricGroup.PRIORITY]);
    for (const row of rows) expect(period(row)).toEqual([null, null]);
    expect(period(total)).toEqual([2, 240]);
    expect(rows.filter((row) => row.priority === Priority.P1).map(communication)).toEqual([[3, 1, 1 / 3]]);
  });

  it('the service filter narrows the period figures too', async () => {
    const { total } = await metrics([], { filter: { serviceIds: [web] } });
    expect([total.opened, ...period(total)]).toEqual([1, 0, 150]);
    expect(downtime(total)).toEqual({ web: [0, 0, 5400, 0] });
  });
});
