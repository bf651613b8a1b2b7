import { ActorType, MetricGroup, Priority, Role } from '../../../src/schema/enums';
import { RotationUnit } from '../../../src/schema/schedule.entity';
import type { ResponderMetricsRow } from '../../../src/schema/metrics.types';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { startTestApp, type TestApp } from '../../support/test-app';

const FROM = new Date('2026-03-02T00:00:00Z');
const TO = new Date('2026-03-04T00:00:00Z');

/**
 * Two responders in different zones (Lisbon UTC+0, New York UTC−5 before its DST change), with pages at exact instants
 * on both sides of each band's edges, acknowledgements as a person and through a token linked to one, and two
 * schedules that overlap. Pages are written as the delivery worker records them (notification rows, SENT).
 */
describe('responderMetrics: exact figures per person', () => {
  const clock = new ManualClock('2026-03-01T00:00:00Z');
  let t: TestApp;
  let ana: string;
  let bo: string;
  let api: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    const { catalog, schedules, incidents, tokens } = t.app.services;
    ana = (await catalog.createPerson({ name: 'Ana', email: 'ana@example.com', timeZone: 'Europe/Lisbon' })).id;
    bo = (await catalog.createPerson({ name: 'Bo', email: 'bo@example.com', timeZone: 'America/New_York' })).id;
    api = (await catalog.createService({ name: 'API', slug: 'api' })).id;
    const web = (await catalog.createService({ name: 'Web', slug: 'web' })).id;
    await schedules.create({ name: 'Primary', timeZone: 'UTC', layers: [{ participants: [ana, bo], rotation: { unit: RotationUnit.DAYS, length: 1 }, start: '2026-03-01T09:00' }] });
    await schedules.create({ name: 'Ana backup', timeZone: 'UTC', layers: [{ participants: [ana], rotation: { unit: RotationUnit.WEEKS, length: 1 }, start: '2026-02-23T00:00' }] });
    const boToken = (await tokens.create({ name: 'Bo laptop', role: Role.RESPONDER, personId: bo })).token;
    const asAna: Actor = { type: ActorType.PERSON, id: ana, name: 'Ana' };
    const asBo: Actor = { type: ActorType.TOKEN, id: boToken.id, name: 'Bo laptop', personId: bo };
    const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test' };

    const at = (iso: string) => clock.set(new Date(iso));
    at('2026-03-02T09:58:00Z');
    const first = await incidents.declare(system, { title: 'A', serviceId: api, priority: Priority.P2 });
    at('2026-03-02T10:05:00Z');
    await incidents.acknowledge(asAna, first.id);
    at('2026-03-02T13:00:00Z');
    const second = await incidents.declare(system, { title: 'B', serviceId: api, priority: Priority.P2 });
    at('2026-03-02T13:10:00Z');
    await incidents.acknowledge(asBo, second.id);
    at('2026-03-02T19:00:00Z');
    const third = await incidents.declare(system, { title: 'C', serviceId: web, priority: Priority.P3 });

    let n = 0;
    const page = (personId: string, incidentId: string, sentAt: string, status = 'SENT') =>
      t.app.db.query(
        `INSERT INTO notification (idempotency_key, incident_id, person_id, channel, address, subject, body, reason, status, attempts, max_attempts, next_attempt_at, created_at, sent_at)
         VALUES ($1, $2, $3, 'SMS', 'x', 's', 'b', 'escalation', $4, 1, 5, $5, $5, $6)`,
        [`page-${(n += 1)}`, incidentId, personId, status, new Date(sentAt), status === 'SENT' ? new Date(sentAt) : null],
      );
    await page(ana, first.id, '2026-03-02T10:00:00Z'); // Lisbon Monday 10:00: business
    await page(ana, third.id, '2026-03-02T19:00:00Z'); // 19:00: off hours
    await page(ana, third.id, '2026-03-02T23:30:00Z'); // 23:30: sleep
    await page(ana, third.id, '2026-03-03T07:59:00Z'); // 07:59: sleep
    await page(bo, second.id, '2026-03-02T13:00:00Z'); // New York 08:00: off hours (sleep ends at 08:00)
    await page(bo, second.id, '2026-03-02T14:00:00Z'); // 09:00: business
    await page(bo, third.id, '2026-03-03T03:00:00Z'); // 22:00 on the 2nd: sleep
    await page(bo, third.id, '2026-03-02T15:00:00Z', 'FAILED'); // never delivered
    await page(bo, third.id, '2026-03-04T01:00:00Z'); // after `to`
  }, 60_000);
  afterAll(() => t.close());

  const figures = (row: ResponderMetricsRow) => ({
    pages: [row.pagesReceived, row.businessHoursPages, row.offHoursPages, row.sleepHoursPages],
    acknowledged: row.incidentsAcknowledged,
    tta: [row.timeToAcknowledge.count, row.timeToAcknowledge.meanSeconds],
    onCallHours: row.onCallHours,
  });

  it('places each page in its recipient’s own zone, counts acknowledgements as a person and through a linked token, and merges overlapping shifts', async () => {
    const rows = await t.app.services.responderMetrics.compute({ from: FROM, to: TO });
    expect(rows.map((row) => row.personId)).toEqual([ana, bo]);
    expect(figures(rows[0])).toEqual({ pages: [4, 1, 1, 2], acknowledged: 1, tta: [1, 300], onCallHours: 48 });
    expect(figures(rows[1])).toEqual({ pages: [3, 1, 1, 1], acknowledged: 1, tta: [1, 600], onCallHours: 24 });
  });

  it('gives incidentMetrics the same interruption bands, per incident group', async () => {
    const { total, rows } = await t.app.services.incidentMetrics.compute({ from: FROM, to: TO, groupBy: [MetricGroup.SERVICE], filter: { serviceIds: [api] } });
    // Every SENT page before `to` of the incidents opened in the period; the one sent after `to` is not one of them.
    expect([total.pagesSent, total.pagesInBusinessHours, total.pagesInOffHours, total.pagesInSleepHours]).toEqual([3, 2, 1, 0]);
    expect(rows.map((row) => [row.pagesInBusinessHours, row.pagesInOffHours, row.pagesInSleepHours])).toEqual([[2, 1, 0]]);
    const all = await t.app.services.incidentMetrics.compute({ from: FROM, to: TO });
    expect([all.total.pagesSent, all.total.pagesInBusinessHours, all.total.pagesInOffHours, all.total.pagesInSleepHours]).toEqual([7, 2, 2, 3]);
  });

  it('counts only the pages and acknowledgements of incidents matching the filter; hours on call stay', async () => {
    const rows = await t.app.services.responderMetrics.compute({ from: FROM, to: TO, filter: { serviceIds: [api] } });
    expect(figures(rows[0])).toEqual({ pages: [1, 1, 0, 0], acknowledged: 1, tta: [1, 300], onCallHours: 48 });
    expect(figures(rows[1])).toEqual({ pages: [2, 1, 1, 0], acknowledged: 1, tta: [1, 600], onCallHours: 24 });
  });

  it('answers over GraphQL with the person, for ANALYST', async () => {
    const answer = await t.gql<{ responderMetrics: Array<{ person: { name: string }; sleepHoursPages: number; onCallHours: number }> }>(
      `query { responderMetrics(from: "2026-03-02T00:00:00Z", to: "2026-03-04T00:00:00Z") { person { name } sleepHoursPages onCallHours } }`,
      {},
      await t.tokenFor(Role.ANALYST),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.responderMetrics).toEqual([
      { person: { name: 'Ana' }, sleepHoursPages: 2, onCallHours: 48 },
      { person: { name: 'Bo' }, sleepHoursPages: 1, onCallHours: 24 },
    ]);
    const refused = await t.gql(`query { responderMetrics(from: "2026-03-02T00:00:00Z", to: "2026-03-04T00:00:00Z") { onCallHours } }`, {}, await t.tokenFor(Role.RESPONDER));
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
