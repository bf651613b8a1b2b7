import 'reflect-metadata';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { AlertPipeline, type IngestItem } from '../../src/ingest/alert-pipeline';
import { upsertFiring } from '../../src/ingest/alert-sql';
import { mergeBatch } from '../../src/ingest/merge-batch';
import type { NormalizedAlert } from '../../src/ingest/normalized-alert';
import { alertRepairJob } from '../../src/jobs/alert-repair.job';
import { IncidentGrouping } from '../../src/services/incident-grouping';
import { IncidentService } from '../../src/services/incident.service';
import { ManualClock } from '../../src/shared/clock';
import { createServiceAndIntegration, insertWindowInProgress } from '../support/fixtures-db';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

function alert(overrides: Partial<NormalizedAlert> = {}): NormalizedAlert {
  return {
    fingerprint: 'fp-1',
    groupKey: 'group-a',
    status: 'FIRING',
    severity: 'WARNING',
    vendorSeverity: 'warning',
    kind: 'ALERT',
    summary: 'High latency on checkout',
    description: 'p99 above 2 s',
    source: 'prometheus',
    labels: { alertname: 'HighLatency' },
    annotations: {},
    url: null,
    startsAt: new Date('2026-11-01T10:00:00Z'),
    endsAt: null,
    details: {},
    ...overrides,
  };
}

const log = pino({ level: 'silent' });
const MIN_AGE_SECONDS = 10;

/**
 * The repair step on its own: "a crash after the upsert" is the fast path's first statement (upsertFiring, committed
 * by itself) with nothing after it.
 */
describe('alerts left without an incident', () => {
  let database: TestDatabase;
  let db: DataSource;
  let other: DataSource;
  const clock = new ManualClock('2026-11-01T10:00:00Z');
  let pipeline: AlertPipeline;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({ url: database.url, poolSize: 10 });
    other = createDataSource({ url: database.url, poolSize: 10 });
    await Promise.all([db.initialize(), other.initialize()]);
    pipeline = new AlertPipeline(db, clock, new IncidentGrouping(clock, new IncidentService(db, clock)));
  });
  afterAll(async () => {
    await Promise.all([db.destroy(), other.destroy()]);
    await database.drop();
  });

  async function setup(options: Record<string, unknown> = {}) {
    const ids = await createServiceAndIntegration(db, options);
    const item = (alerts: NormalizedAlert[]): IngestItem => ({
      target: { integrationId: ids.integrationId, integrationName: 'prometheus', serviceId: ids.serviceId, options },
      alerts,
    });
    /** What a process killed right after the ingest's upsert leaves. */
    const upsertOnly = (alerts: NormalizedAlert[]) => upsertFiring(db.manager, mergeBatch(alerts.map((a) => ({ item: 0, target: item([]).target, alert: a }))), new Map(), clock.now());
    return { ...ids, item, upsertOnly };
  }

  const repairJob = (pipelineOf: AlertPipeline) => alertRepairJob(pipelineOf, clock, log, { schedule: '* * * * * *', minAgeSeconds: MIN_AGE_SECONDS });

  async function incidentView(incidentId: string) {
    const [incident] = await db.query(`SELECT title, description, priority, status, source, group_key, service_id FROM incident WHERE id = $1`, [incidentId]);
    const events = await db.query(`SELECT kind, actor_type, actor_name, message FROM timeline_event WHERE incident_id = $1 ORDER BY seq`, [incidentId]);
    return { incident, events };
  }

  it('leaves an alert younger than the minimum age to the delivery attaching it, then attaches it as that delivery would have', async () => {
    const { upsertOnly, integrationId, serviceId } = await setup({ severityMap: { WARNING: 'P2' } });
    const alerts = [alert({ fingerprint: 'a' }), alert({ fingerprint: 'b', severity: 'CRITICAL', summary: 'Checkout errors' })];
    await upsertOnly(alerts);
    clock.advance((MIN_AGE_SECONDS - 1) * 1000);
    expect(await repairJob(pipeline).run()).toBe(0);
    expect(await db.query(`SELECT count(*)::int AS n FROM alert WHERE integration_id = $1 AND incident_id IS NULL`, [integrationId])).toEqual([{ n: 2 }]);

    clock.advance(2000);
    expect(await repairJob(pipeline).run()).toBe(2);
    const [{ incident_id: repairedId }] = await db.query(`SELECT DISTINCT incident_id FROM alert WHERE integration_id = $1`, [integrationId]);
    expect(repairedId).not.toBeNull();
    expect(await repairJob(pipeline).run()).toBe(0);

    // The same alerts delivered normally to a twin integration: the incidents match, field for field and event for event.
    const twin = await setup({ severityMap: { WARNING: 'P2' } });
    const [delivered] = await pipeline.ingest([twin.item(alerts)]);
    const repaired = await incidentView(repairedId);
    const normal = await incidentView(delivered.incidentIds[0]);
    expect({ ...repaired.incident, service_id: undefined }).toEqual({ ...normal.incident, service_id: undefined });
    expect(repaired.incident).toMatchObject({ title: 'High latency on checkout (+1 more)', description: 'p99 above 2 s', priority: 'P1', status: 'TRIGGERED', service_id: serviceId });
    const numberless = (events: Array<{ message: string }>) => events.map((event) => ({ ...event, message: event.message.replace(/^#\d+ /, '#n ') }));
    expect(numberless(repaired.events)).toEqual(numberless(normal.events));
  });

  it('attaches to the group’s open incident and raises its priority, like a delivery joining the group', async () => {
    const { item, upsertOnly, integrationId } = await setup();
    const [open] = await pipeline.ingest([item([alert({ fingerprint: 'first' })])]);
    await upsertOnly([alert({ fingerprint: 'late', severity: 'CRITICAL', summary: 'Checkout down' })]);
    clock.advance(MIN_AGE_SECONDS * 1000 + 1);
    expect(await repairJob(pipeline).run()).toBe(1);
    const rows = await db.query(`SELECT fingerprint, incident_id FROM alert WHERE integration_id = $1 ORDER BY fingerprint`, [integrationId]);
    expect(rows).toEqual([
      { fingerprint: 'first', incident_id: open.incidentIds[0] },
      { fingerprint: 'late', incident_id: open.incidentIds[0] },
    ]);
    const { incident, events } = await incidentView(open.incidentIds[0]);
    expect(incident.priority).toBe('P1');
    expect(events.map((event: { kind: string; message: string }) => [event.kind, event.message])).toEqual([
      ['INCIDENT_DECLARED', expect.any(String)],
      ['ALERTS_ATTACHED', '1 alert(s) attached: High latency on checkout'],
      ['ALERTS_ATTACHED', '1 alert(s) attached: Checkout down'],
      ['PRIORITY_RAISED', 'priority raised from P3 to P1 by a new alert'],
    ]);
  });

  it('leaves suppressed and resolved alerts alone', async () => {
    const { upsertOnly, integrationId, serviceId, item } = await setup();
    const windowId = await insertWindowInProgress(db, serviceId);
    await upsertFiring(db.manager, mergeBatch([{ item: 0, target: item([]).target, alert: alert({ fingerprint: 'muted' }) }]), new Map([[serviceId, windowId]]), clock.now());
    await upsertOnly([alert({ fingerprint: 'gone' })]);
    await pipeline.ingest([item([alert({ fingerprint: 'gone', status: 'RESOLVED' })])]);
    clock.advance(MIN_AGE_SECONDS * 1000 + 1);
    expect(await repairJob(pipeline).run()).toBe(0);
    expect(await db.query(`SELECT fingerprint, status, incident_id FROM alert WHERE integration_id = $1 ORDER BY fingerprint`, [integrationId])).toEqual([
      { fingerprint: 'gone', status: 'RESOLVED', incident_id: null },
      { fingerprint: 'muted', status: 'FIRING', incident_id: null },
    ]);
  });

  it('two instances repairing 600 alerts of 30 groups at once attach each alert once, with one incident per group', async () => {
    const { upsertOnly, integrationId } = await setup();
    const alerts = Array.from({ length: 600 }, (_, index) => alert({ fingerprint: `storm-${index}`, groupKey: `group-${index % 30}` }));
    for (let from = 0; from < alerts.length; from += 100) await upsertOnly(alerts.slice(from, from + 100));
    clock.advance(MIN_AGE_SECONDS * 1000 + 1);
    const second = new AlertPipeline(other, clock, new IncidentGrouping(clock, new IncidentService(other, clock)));
    // Small batches, so the two runners interleave many claims.
    const drain = async (runner: AlertPipeline) => {
      let total = 0;
      for (let attached = -1; attached !== 0; total += attached) attached = await runner.attachUnattached(new Date(clock.now().getTime() - MIN_AGE_SECONDS * 1000), 25);
      return total;
    };
    const [byFirst, bySecond] = await Promise.all([drain(pipeline), drain(second)]);
    expect(byFirst + bySecond).toBe(600);
    expect(byFirst).toBeGreaterThan(0);
    expect(bySecond).toBeGreaterThan(0);
    expect(await db.query(`SELECT count(*)::int AS n FROM alert WHERE integration_id = $1 AND incident_id IS NULL`, [integrationId])).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT count(*)::int AS n, count(DISTINCT group_key)::int AS groups FROM incident WHERE integration_id = $1`, [integrationId])).toEqual([{ n: 30, groups: 30 }]);
    const attached = await db.query(
      `SELECT jsonb_array_elements_text(t.data->'alertIds') AS id FROM timeline_event t JOIN incident i ON i.id = t.incident_id
        WHERE i.integration_id = $1 AND t.kind = 'ALERTS_ATTACHED'`,
      [integrationId],
    );
    expect(attached).toHaveLength(600);
    expect(new Set(attached.map((row: { id: string }) => row.id)).size).toBe(600);
  });

  it('can find them through the partial index of waiting alerts, whatever the size of alert', async () => {
    const plan = await db.transaction(async (manager) => {
      await manager.query(`SET LOCAL enable_seqscan = off`);
      return manager.query(`EXPLAIN SELECT id FROM alert WHERE incident_id IS NULL AND status = 'FIRING' AND NOT suppressed AND first_seen_at < now() ORDER BY first_seen_at, id LIMIT 500`);
    });
    expect(plan.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n')).toContain('alert_unattached_idx');
  });
});
