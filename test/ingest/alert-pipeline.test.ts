import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { AlertPipeline, type IngestItem } from '../../src/ingest/alert-pipeline';
import type { NormalizedAlert } from '../../src/ingest/normalized-alert';
import { IncidentGrouping } from '../../src/services/incident-grouping';
import { IncidentService } from '../../src/services/incident.service';
import { SYSTEM_ACTOR } from '../../src/shared/actor';
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
    description: null,
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

describe('alert pipeline', () => {
  let database: TestDatabase;
  let db: DataSource;
  let clock: ManualClock;
  let pipeline: AlertPipeline;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({ url: database.url, poolSize: 40 });
    await db.initialize();
    clock = new ManualClock('2026-11-01T10:00:00Z');
    pipeline = new AlertPipeline(db, clock, new IncidentGrouping(clock, new IncidentService(db, clock)));
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  async function setup(options: Record<string, unknown> = {}) {
    const ids = await createServiceAndIntegration(db, options);
    const item = (alerts: NormalizedAlert[]): IngestItem => ({
      target: { integrationId: ids.integrationId, integrationName: 'prometheus', serviceId: ids.serviceId, options },
      alerts,
    });
    const count = async (sql: string) => Number((await db.query(sql, [ids.integrationId]))[0].count);
    return { ...ids, item, count };
  }

  it('turns the same payload delivered twice into one alert with two occurrences and one incident', async () => {
    const { item, count, integrationId } = await setup();
    const first = await pipeline.ingest([item([alert()])]);
    const second = await pipeline.ingest([item([alert()])]);
    expect(second[0].alertIds).toEqual(first[0].alertIds);
    expect(second[0].incidentIds).toEqual(first[0].incidentIds);
    const rows = await db.query(`SELECT occurrences FROM alert WHERE integration_id = $1`, [integrationId]);
    expect(rows).toEqual([{ occurrences: 2 }]);
    expect(await count(`SELECT count(*) FROM incident WHERE integration_id = $1`)).toBe(1);
  });

  it('makes exactly one alert and one incident from 32 concurrent deliveries of the same new alert', async () => {
    const { item, count, integrationId } = await setup();
    const results = await Promise.all(Array.from({ length: 32 }, () => pipeline.ingest([item([alert({ fingerprint: 'racer' })])])));
    expect(new Set(results.map((r) => r[0].alertIds[0])).size).toBe(1);
    expect(new Set(results.map((r) => r[0].incidentIds[0])).size).toBe(1);
    expect(await count(`SELECT count(*) FROM alert WHERE integration_id = $1`)).toBe(1);
    expect(await count(`SELECT count(*) FROM incident WHERE integration_id = $1`)).toBe(1);
    const [row] = await db.query(`SELECT occurrences FROM alert WHERE integration_id = $1`, [integrationId]);
    expect(row.occurrences).toBe(32);
    const events = await db.query(`SELECT kind, count(*)::int AS n FROM timeline_event WHERE incident_id = $1 GROUP BY kind ORDER BY kind`, [results[0][0].incidentIds[0]]);
    expect(events).toEqual([
      { kind: 'ALERTS_ATTACHED', n: 1 },
      { kind: 'INCIDENT_DECLARED', n: 1 },
    ]);
  });

  it('groups alerts into one incident, takes the highest priority, and auto-resolves when all resolve', async () => {
    const { item, integrationId } = await setup();
    const [opened] = await pipeline.ingest([item([alert({ fingerprint: 'a' }), alert({ fingerprint: 'b', severity: 'CRITICAL' })])]);
    expect(opened.incidentIds).toHaveLength(1);
    const [incident] = await db.query(`SELECT priority, status, title FROM incident WHERE id = $1`, [opened.incidentIds[0]]);
    expect(incident).toEqual({ priority: 'P1', status: 'TRIGGERED', title: 'High latency on checkout (+1 more)' });

    await pipeline.ingest([item([alert({ fingerprint: 'a', status: 'RESOLVED' })])]);
    expect((await db.query(`SELECT status FROM incident WHERE id = $1`, [opened.incidentIds[0]]))[0].status).toBe('TRIGGERED');
    await pipeline.ingest([item([alert({ fingerprint: 'b', status: 'RESOLVED' })])]);
    const [closed] = await db.query(`SELECT status, resolution FROM incident WHERE id = $1`, [opened.incidentIds[0]]);
    expect(closed).toEqual({ status: 'RESOLVED', resolution: 'FIXED' });
    const kinds = (await db.query(`SELECT kind FROM timeline_event WHERE incident_id = $1 ORDER BY seq`, [opened.incidentIds[0]])).map(
      (r: { kind: string }) => r.kind,
    );
    expect(kinds).toEqual(['INCIDENT_DECLARED', 'ALERTS_ATTACHED', 'ALERTS_RESOLVED', 'ALERTS_RESOLVED', 'RESOLVED']);
    const statuses = await db.query(`SELECT DISTINCT status FROM alert WHERE integration_id = $1`, [integrationId]);
    expect(statuses).toEqual([{ status: 'RESOLVED' }]);
  });

  it('leaves the incident open when the integration does not auto-resolve', async () => {
    const { item } = await setup({ autoResolve: false });
    const [opened] = await pipeline.ingest([item([alert()])]);
    await pipeline.ingest([item([alert({ status: 'RESOLVED' })])]);
    expect((await db.query(`SELECT status FROM incident WHERE id = $1`, [opened.incidentIds[0]]))[0].status).toBe('TRIGGERED');
  });

  it('starts a new alert and incident when a resolved alert fires again', async () => {
    const { item, count } = await setup();
    const [first] = await pipeline.ingest([item([alert()])]);
    await pipeline.ingest([item([alert({ status: 'RESOLVED' })])]);
    const [again] = await pipeline.ingest([item([alert()])]);
    expect(again.alertIds[0]).not.toEqual(first.alertIds[0]);
    expect(again.incidentIds[0]).not.toEqual(first.incidentIds[0]);
    expect(await count(`SELECT count(*) FROM alert WHERE integration_id = $1`)).toBe(2);
  });

  it('resolves the alerts of an incident resolved by hand, so a repeat opens a fresh incident', async () => {
    const { item, integrationId } = await setup();
    const [first] = await pipeline.ingest([item([alert({ fingerprint: 'no-resolve-ever' })])]);
    await new IncidentService(db, clock).resolve(SYSTEM_ACTOR, first.incidentIds[0]);
    const [row] = await db.query(`SELECT status FROM alert WHERE id = $1`, [first.alertIds[0]]);
    expect(row.status).toBe('RESOLVED');
    const [again] = await pipeline.ingest([item([alert({ fingerprint: 'no-resolve-ever' })])]);
    expect(again.incidentIds[0]).not.toBe(first.incidentIds[0]);
    const [incident] = await db.query(`SELECT status FROM incident WHERE id = $1`, [again.incidentIds[0]]);
    expect(incident.status).toBe('TRIGGERED');
    expect(Number((await db.query(`SELECT count(*) FROM alert WHERE integration_id = $1`, [integrationId]))[0].count)).toBe(2);
  });

  it('ignores a resolve for an alert it never saw firing, and a repeated resolve', async () => {
    const { item, count } = await setup();
    const [unknown] = await pipeline.ingest([item([alert({ fingerprint: 'never-seen', status: 'RESOLVED' })])]);
    expect(unknown).toEqual({ alertIds: [], incidentIds: [], ignored: 1 });
    await pipeline.ingest([item([alert()])]);
    await pipeline.ingest([item([alert({ status: 'RESOLVED' })])]);
    const [repeat] = await pipeline.ingest([item([alert({ status: 'RESOLVED' })])]);
    expect(repeat.ignored).toBe(1);
    expect(await count(`SELECT count(*) FROM alert WHERE integration_id = $1`)).toBe(1);
  });

  it('raises the open incident priority when a higher-severity alert joins its group', async () => {
    const { item } = await setup();
    const [opened] = await pipeline.ingest([item([alert({ fingerprint: 'low', severity: 'INFO' })])]);
    expect((await db.query(`SELECT priority FROM incident WHERE id = $1`, [opened.incidentIds[0]]))[0].priority).toBe('P4');
    await pipeline.ingest([item([alert({ fingerprint: 'high', severity: 'HIGH' })])]);
    expect((await db.query(`SELECT priority FROM incident WHERE id = $1`, [opened.incidentIds[0]]))[0].priority).toBe('P2');
  });

  it('raises the open incident priority when a repeat of an alert comes back at a higher severity', async () => {
    const { item } = await setup();
    const [opened] = await pipeline.ingest([item([alert({ fingerprint: 'worsening', severity: 'WARNING' })])]);
    expect((await db.query(`SELECT priority FROM incident WHERE id = $1`, [opened.incidentIds[0]]))[0].priority).toBe('P3');
    await pipeline.ingest([item([alert({ fingerprint: 'worsening', severity: 'CRITICAL' })])]);
    expect((await db.query(`SELECT priority FROM incident WHERE id = $1`, [opened.incidentIds[0]]))[0].priority).toBe('P1');
    const kinds = await db.query(`SELECT kind FROM timeline_event WHERE incident_id = $1 AND kind = 'PRIORITY_RAISED'`, [opened.incidentIds[0]]);
    expect(kinds).toHaveLength(1);
  });

  it('acknowledges the incident on an acknowledgement, without touching the alert', async () => {
    const { item } = await setup();
    const [opened] = await pipeline.ingest([item([alert({ fingerprint: 'pd-1', summary: 'Disk full on db-1' })])]);
    const [acked] = await pipeline.ingest([item([alert({ fingerprint: 'pd-1', summary: 'acknowledge pd-1', severity: 'WARNING', acknowledged: true })])]);
    expect(acked).toEqual({ alertIds: opened.alertIds, incidentIds: opened.incidentIds, ignored: 0 });
    const [incident] = await db.query(`SELECT status FROM incident WHERE id = $1`, [opened.incidentIds[0]]);
    expect(incident.status).toBe('ACKNOWLEDGED');
    const [row] = await db.query(`SELECT summary, occurrences FROM alert WHERE id = $1`, [opened.alertIds[0]]);
    expect(row).toEqual({ summary: 'Disk full on db-1', occurrences: 1 });
    const [unknown] = await pipeline.ingest([item([alert({ fingerprint: 'pd-unknown', acknowledged: true })])]);
    expect(unknown).toEqual({ alertIds: [], incidentIds: [], ignored: 1 });
  });

  it('maps severities through the integration severity maps', async () => {
    const { item } = await setup({ vendorSeverityMap: { warning: 'P1' } });
    const [opened] = await pipeline.ingest([item([alert()])]);
    expect((await db.query(`SELECT priority FROM incident WHERE id = $1`, [opened.incidentIds[0]]))[0].priority).toBe('P1');
  });

  it('records alerts of a suppressed service without opening an incident', async () => {
    const { item, serviceId, integrationId } = await setup();
    const windowId = await insertWindowInProgress(db, serviceId);
    const suppressing = new AlertPipeline(db, clock, new IncidentGrouping(clock, new IncidentService(db, clock)), async () => new Map([[serviceId, windowId]]));
    const [result] = await suppressing.ingest([item([alert({ fingerprint: 'during-maintenance' })])]);
    expect(result.incidentIds).toEqual([]);
    const [row] = await db.query(`SELECT suppressed, suppressed_by, incident_id FROM alert WHERE integration_id = $1`, [integrationId]);
    expect(row).toEqual({ suppressed: true, suppressed_by: windowId, incident_id: null });
  });

  it('merges a batch of many requests, answering each with its own alerts', async () => {
    const { item, integrationId } = await setup();
    const results = await pipeline.ingest([
      item([alert({ fingerprint: 'x' })]),
      item([alert({ fingerprint: 'x' }), alert({ fingerprint: 'y' })]),
    ]);
    expect(results[0].alertIds).toHaveLength(1);
    expect(results[1].alertIds).toHaveLength(2);
    expect(results[1].alertIds).toContain(results[0].alertIds[0]);
    const rows = await db.query(`SELECT fingerprint, occurrences FROM alert WHERE integration_id = $1 ORDER BY fingerprint`, [integrationId]);
    expect(rows).toEqual([
      { fingerprint: 'x', occurrences: 2 },
      { fingerprint: 'y', occurrences: 1 },
    ]);
  });

  it('applies a resolve and a re-fire in one batch in delivery order', async () => {
    const { item, integrationId } = await setup();
    const [before] = await pipeline.ingest([item([alert({ fingerprint: 'flap' })])]);
    const results = await pipeline.ingest([item([alert({ fingerprint: 'flap', status: 'RESOLVED' })]), item([alert({ fingerprint: 'flap' })])]);
    const rows = await db.query(`SELECT id, status FROM alert WHERE integration_id = $1 ORDER BY first_seen_at, status DESC`, [integrationId]);
    expect(rows.map((r: { status: string }) => r.status).sort()).toEqual(['FIRING', 'RESOLVED']);
    expect(rows.find((r: { status: string }) => r.status === 'RESOLVED').id).toBe(before.alertIds[0]);
    expect(results[1].alertIds[0]).toBe(rows.find((r: { status: string }) => r.status === 'FIRING').id);
  });

  it('attaches new alerts of several groups to their open incidents in one batch, one ALERTS_ATTACHED event each', async () => {
    const { item } = await setup();
    const groups = ['g1', 'g2', 'g3'];
    const opened = await Promise.all(groups.map(async (groupKey) => (await pipeline.ingest([item([alert({ fingerprint: `${groupKey}-seed`, groupKey })])]))[0]));
    const results = await pipeline.ingest(groups.map((groupKey) => item([alert({ fingerprint: `${groupKey}-new`, groupKey, summary: `new in ${groupKey}` })])));
    for (const [index, groupKey] of groups.entries()) {
      const incidentId = opened[index].incidentIds[0];
      expect(results[index].incidentIds).toEqual([incidentId]);
      const [row] = await db.query(`SELECT incident_id FROM alert WHERE id = $1`, [results[index].alertIds[0]]);
      expect(row.incident_id).toBe(incidentId);
      const events = await db.query(`SELECT message, data, actor_type, actor_id FROM timeline_event WHERE incident_id = $1 AND kind = 'ALERTS_ATTACHED' ORDER BY seq`, [incidentId]);
      expect(events).toHaveLength(2);
      expect(events[1]).toMatchObject({
        message: `1 alert(s) attached: new in ${groupKey}`,
        data: { alertIds: [results[index].alertIds[0]] },
        actor_type: 'INTEGRATION',
      });
    }
  });

  it('attaches every one of 32 concurrent new alerts of an open group exactly once', async () => {
    const { item, integrationId } = await setup();
    const [seed] = await pipeline.ingest([item([alert({ fingerprint: 'crowd-seed', groupKey: 'crowd' })])]);
    const incidentId = seed.incidentIds[0];
    const results = await Promise.all(Array.from({ length: 32 }, (_, index) => pipeline.ingest([item([alert({ fingerprint: `crowd-${index}`, groupKey: 'crowd' })])])));
    expect(new Set(results.map((r) => r[0].incidentIds[0]))).toEqual(new Set([incidentId]));
    const attachedRows = await db.query(`SELECT count(*)::int AS n FROM alert WHERE integration_id = $1 AND incident_id = $2`, [integrationId, incidentId]);
    expect(attachedRows[0].n).toBe(33);
    const events: Array<{ data: { alertIds: string[] } }> = await db.query(`SELECT data FROM timeline_event WHERE incident_id = $1 AND kind = 'ALERTS_ATTACHED'`, [incidentId]);
    const named = events.flatMap((event) => event.data.alertIds);
    expect(named).toHaveLength(33);
    expect(new Set(named).size).toBe(33);
  });

  it('opens a fresh incident for a new alert whose group incident was resolved by hand', async () => {
    const { item } = await setup({ autoResolve: false });
    const [first] = await pipeline.ingest([item([alert({ fingerprint: 'before', groupKey: 'reopened' })])]);
    await new IncidentService(db, clock).resolve(SYSTEM_ACTOR, first.incidentIds[0]);
    const [next] = await pipeline.ingest([item([alert({ fingerprint: 'after', groupKey: 'reopened' })])]);
    expect(next.incidentIds).toHaveLength(1);
    expect(next.incidentIds[0]).not.toBe(first.incidentIds[0]);
    const [row] = await db.query(`SELECT incident_id FROM alert WHERE id = $1`, [next.alertIds[0]]);
    expect(row.incident_id).toBe(next.incidentIds[0]);
  });

  it('takes 1,000 alerts in one request, and resolves them in one, within pg_notify payload limits', async () => {
    const { item, integrationId } = await setup();
    const many = Array.from({ length: 1000 }, (_, index) => alert({ fingerprint: `bulk-${index}`, groupKey: `bulk-${index % 3}`, severity: 'CRITICAL' }));
    const [fired] = await pipeline.ingest([item(many)]);
    expect(fired.alertIds).toHaveLength(1000);
    expect(fired.incidentIds).toHaveLength(3);
    const [resolved] = await pipeline.ingest([item(many.map((entry) => ({ ...entry, status: 'RESOLVED' as const, endsAt: new Date('2026-11-01T10:05:00Z') })))]);
    expect(resolved.alertIds).toHaveLength(1000);
    const [{ firing }] = await db.query(`SELECT count(*)::int AS firing FROM alert WHERE integration_id = $1 AND status = 'FIRING'`, [integrationId]);
    expect(firing).toBe(0);
  });
});
