import { DateTime } from 'luxon';
import { ActorType, IncidentSource, MetricGroup, Priority, Resolution } from '../../../src/schema/enums';
import type { IncidentMetricsRow } from '../../../src/schema/metrics.types';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { startTestApp, type TestApp } from '../../support/test-app';

const actor: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };
const FROM = new Date('2026-03-23T00:00:00Z');
const TO = new Date('2026-04-06T00:00:00Z');
const MINUTE = 60_000;

interface Seeded {
  serviceKey: string;
  priority: Priority;
  source: IncidentSource;
  openedAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  resolution: Resolution | null;
}

/** A small deterministic generator (mulberry32), so the history is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The figures computed the plain way, in the test, to compare with what PostgreSQL computed. */
function percentile(values: number[], fraction: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  return sorted[lower] + (sorted[Math.min(lower + 1, sorted.length - 1)] - sorted[lower]) * (position - lower);
}
function expectedFigures(incidents: Seeded[]) {
  const before = (at: Date | null) => at !== null && at < TO;
  const seconds = (from: Date, at: Date | null) => (before(at) ? (at!.getTime() - from.getTime()) / 1000 : null);
  const duration = (values: Array<number | null>) => {
    const present = values.filter((value): value is number => value !== null);
    return [present.length, present.length ? present.reduce((sum, value) => sum + value, 0) / present.length : null, percentile(present, 0.5), percentile(present, 0.9)];
  };
  const resolved = incidents.filter((incident) => before(incident.resolvedAt));
  return {
    counts: [incidents.length, resolved.length, incidents.length - resolved.length, resolved.filter((incident) => incident.resolution === Resolution.FALSE_POSITIVE).length],
    tta: duration(incidents.map((incident) => seconds(incident.openedAt, incident.acknowledgedAt))),
    ttm: duration(incidents.map((incident) => seconds(incident.openedAt, incident.mitigatedAt))),
    ttr: duration(incidents.map((incident) => seconds(incident.openedAt, incident.resolvedAt))),
  };
}
function actualFigures(row: IncidentMetricsRow) {
  const duration = (stats: IncidentMetricsRow['timeToAcknowledge']) => [stats.count, stats.meanSeconds, stats.medianSeconds, stats.p90Seconds];
  return { counts: [row.opened, row.resolved, row.stillOpen, row.falsePositives], tta: duration(row.timeToAcknowledge), ttm: duration(row.timeToMitigate), ttr: duration(row.timeToResolve) };
}
/** Means and interpolated percentiles are floating point on both sides: compare them to the microsecond. */
function rounded<T>(figures: T): T {
  return JSON.parse(JSON.stringify(figures, (_key, value) => (typeof value === 'number' ? Math.round(value * 1e6) / 1e6 : value)));
}

/**
 * Forty-eight incidents at pseudo-random exact times around Lisbon's DST change and the March/April month end,
 * some opened before `from`, some acknowledged, mitigated or resolved after `to`: every grouping's every row must
 * equal the same figures computed here from the seeded facts.
 */
describe('incidentMetrics against a reference computation over a generated history', () => {
  const clock = new ManualClock('2026-03-20T00:00:00Z');
  let t: TestApp;
  const services: Record<string, string> = {};
  const seeded: Seeded[] = [];

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    for (const key of ['alpha', 'beta', 'gamma']) services[key] = (await t.app.services.catalog.createService({ name: key, slug: key })).id;
    const next = random(20260329);
    const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
    for (let index = 0; index < 48; index += 1) {
      const openedAt = new Date(Date.parse('2026-03-21T00:00:00Z') + Math.floor(next() * 17 * 24 * 60) * MINUTE);
      const incident: Seeded = {
        serviceKey: pick(['alpha', 'beta', 'gamma']),
        priority: pick([Priority.P1, Priority.P2, Priority.P3, Priority.P4]),
        source: pick([IncidentSource.MONITORING, IncidentSource.INTERNAL, IncidentSource.CUSTOMER_REPORT]),
        openedAt,
        acknowledgedAt: null,
        mitigatedAt: null,
        resolvedAt: null,
        resolution: null,
      };
      let at = openedAt.getTime();
      if (next() < 0.8) incident.acknowledgedAt = new Date((at += (1 + Math.floor(next() * 90)) * MINUTE));
      if (incident.acknowledgedAt && next() < 0.5) incident.mitigatedAt = new Date((at += (1 + Math.floor(next() * 240)) * MINUTE));
      if (next() < 0.85) {
        incident.resolvedAt = new Date(at + (1 + Math.floor(next() * 600)) * MINUTE);
        incident.resolution = next() < 0.2 ? Resolution.FALSE_POSITIVE : Resolution.FIXED;
      }
      seeded.push(incident);
      const { incidents } = t.app.services;
      clock.set(incident.openedAt);
      const { id } = await incidents.declare(actor, { title: `generated ${index}`, serviceId: services[incident.serviceKey], priority: incident.priority, source: incident.source });
      if (incident.acknowledgedAt) {
        clock.set(incident.acknowledgedAt);
        await incidents.acknowledge(actor, id);
      }
      if (incident.mitigatedAt) {
        clock.set(incident.mitigatedAt);
        await incidents.mitigate(actor, id);
      }
      if (incident.resolvedAt) {
        clock.set(incident.resolvedAt);
        await incidents.resolve(actor, id, incident.resolution!);
      }
    }
  }, 120_000);
  afterAll(() => t.close());

  const counted = () => seeded.filter((incident) => incident.openedAt >= FROM && incident.openedAt < TO);

  it('has a history that exercises the edges', () => {
    expect(seeded.filter((incident) => incident.openedAt < FROM).length).toBeGreaterThan(0);
    expect(counted().filter((incident) => incident.resolvedAt && incident.resolvedAt >= TO).length + counted().filter((incident) => !incident.resolvedAt).length).toBeGreaterThan(0);
    expect(counted().length).toBeGreaterThanOrEqual(30);
  });

  it('totals', async () => {
    const { total } = await t.app.services.incidentMetrics.compute({ from: FROM, to: TO });
    expect(rounded(actualFigures(total))).toEqual(rounded(expectedFigures(counted())));
  });

  it.each([
    [MetricGroup.DAY, 'Europe/Lisbon'],
    [MetricGroup.DAY, 'UTC'],
    [MetricGroup.WEEK, 'America/New_York'],
    [MetricGroup.MONTH, 'Europe/Lisbon'],
    [MetricGroup.MONTH, 'Asia/Kolkata'],
  ] as const)('every %s bucket in %s, empty ones included', async (group, zone) => {
    const unit = group === MetricGroup.DAY ? 'day' : group === MetricGroup.WEEK ? 'week' : 'month';
    const { rows } = await t.app.services.incidentMetrics.compute({ from: FROM, to: TO, groupBy: [group], timeZone: zone });
    const buckets: Array<{ start: Date; end: Date }> = [];
    for (let start = DateTime.fromJSDate(FROM, { zone }).startOf(unit); start.toJSDate() < TO; start = start.plus({ [unit]: 1 })) {
      buckets.push({ start: start.toJSDate(), end: start.plus({ [unit]: 1 }).toJSDate() });
    }
    expect(rows.map((row) => [row.periodStart, row.periodEnd])).toEqual(buckets.map((bucket) => [bucket.start, bucket.end]));
    rows.forEach((row, index) => {
      const inBucket = counted().filter((incident) => incident.openedAt >= buckets[index].start && incident.openedAt < buckets[index].end);
      expect([buckets[index].start, rounded(actualFigures(row))]).toEqual([buckets[index].start, rounded(expectedFigures(inBucket))]);
    });
  });

  it('every service × priority and every source', async () => {
    const bySP = await t.app.services.incidentMetrics.compute({ from: FROM, to: TO, groupBy: [MetricGroup.SERVICE, MetricGroup.PRIORITY] });
    expect(bySP.rows).toHaveLength(12);
    for (const row of bySP.rows) {
      const key = Object.keys(services).find((name) => services[name] === row.serviceId)!;
      const expected = expectedFigures(counted().filter((incident) => incident.serviceKey === key && incident.priority === row.priority));
      expect([key, row.priority, rounded(actualFigures(row))]).toEqual([key, row.priority, rounded(expected)]);
    }
    const bySource = await t.app.services.incidentMetrics.compute({ from: FROM, to: TO, groupBy: [MetricGroup.SOURCE] });
    for (const row of bySource.rows) {
      expect([row.source, rounded(actualFigures(row))]).toEqual([row.source, rounded(expectedFigures(counted().filter((incident) => incident.source === row.source)))]);
    }
  });
});
