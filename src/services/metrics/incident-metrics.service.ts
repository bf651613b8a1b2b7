import type { DataSource } from 'typeorm';
import type { ComponentDowntime, IncidentMetrics, IncidentMetricsFilter, IncidentMetricsRow } from '../../schema/metrics.types';
import type { Clock } from '../../shared/clock';
import { badInput } from '../../shared/domain-error';
import { IncidentSource, IncidentStatus, MetricGroup, Priority } from '../../shared/enums';
import { isValidDate, isValidTimeZone, requireUuid } from '../validation';
import { holidayDatesOfPeople } from './holiday-dates';
import { durationStatsOf, nullableNumber } from './metric-values';
import { CHANNELS, incidentMetricsSql, isTimeGroup } from './incident-metrics.sql';
import { ALL_FIGURES, type MetricFigure, type MetricsQuery } from './metrics-query';
import { weightedDowntimeSeconds } from '../../shared/component-downtime';

/** As the status pages' uptime counts it: a partial outage is 30 % down. */
/** A period longer than this is refused: five years of weeks is already more than a chart can show. */
const MAX_RANGE_DAYS = 5 * 366;
/** The answer's groups (every combination is listed, empty ones too) are bounded like any page. */
export const MAX_METRIC_ROWS = 10_000;

export interface IncidentMetricsArgs {
  from: Date;
  to: Date;
  groupBy?: MetricGroup[] | null;
  filter?: IncidentMetricsFilter | null;
  timeZone?: string | null;
  /** What to compute beyond the incident counts (figuresOfFields); everything by default. */
  figures?: ReadonlySet<MetricFigure>;
}

/** Which figure each IncidentMetricsRow field needs; fields not named here need none beyond the counts. */
const FIGURE_OF_FIELD: Readonly<Record<string, MetricFigure>> = {
  timeToAcknowledge: 'tta',
  timeToMitigate: 'ttm',
  timeToResolve: 'ttr',
  timeToDetect: 'ttd',
  alerts: 'alerts',
  alertsPerIncident: 'alerts',
  repeatOccurrences: 'repeats',
  escalated: 'escalation',
  acknowledgedWithinFirstStep: 'escalation',
  pagesSent: 'pages',
  pagesByChannel: 'pages',
  pagesInBusinessHours: 'interruptions',
  pagesInOffHours: 'interruptions',
  pagesInSleepHours: 'interruptions',
  componentDowntime: 'componentDowntime',
  alertsSuppressedByMaintenance: 'suppressed',
  maintenanceMinutes: 'maintenance',
  communicationsDue: 'communications',
  communicationsOnTime: 'communications',
  communicationComplianceShare: 'communications',
};

/** The figures a reader asking for these row fields needs (a GraphQL selection's field names). */
export function figuresOfFields(fields: Iterable<string>): Set<MetricFigure> {
  const figures = new Set<MetricFigure>();
  for (const field of fields) if (Object.hasOwn(FIGURE_OF_FIELD, field)) figures.add(FIGURE_OF_FIELD[field]);
  return figures;
}

/** Incident figures for analysts, computed by PostgreSQL in one statement (incident-metrics.sql.ts). */
export class IncidentMetricsService {
  private readonly knownZones = new Set<string>(['UTC']);

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async compute(args: IncidentMetricsArgs): Promise<IncidentMetrics> {
    const query = await this.validated(args);
    const { sql, params } = incidentMetricsSql(query);
    // PostgreSQL's cost estimate for this statement switches JIT compilation on, which costs seconds and saves none.
    const rows: Array<Record<string, unknown>> = await this.db.transaction(async (manager) => {
      await manager.query(`SET LOCAL jit = off`);
      return manager.query(`${sql} LIMIT ${MAX_METRIC_ROWS + 2}`, params);
    });
    if (rows.length > MAX_METRIC_ROWS + 1) throw badInput('groupBy', `makes more than ${MAX_METRIC_ROWS} groups: narrow the period, the filter or the grouping`);
    const total = rows.shift()!;
    return { from: query.from, to: query.to, timeZone: query.timeZone, groupBy: query.groupBy, rows: rows.map(metricsRow), total: metricsRow(total) };
  }

  /** The arguments checked, each fault a BAD_USER_INPUT naming its field (the CSV export checks its own with it too). */
  async validated(args: IncidentMetricsArgs): Promise<MetricsQuery> {
    if (!isValidDate(args.from)) throw badInput('from', 'must be a date-time');
    if (!isValidDate(args.to)) throw badInput('to', 'must be a date-time');
    if (args.to <= args.from) throw badInput('to', 'must be after from');
    if (args.to.getTime() - args.from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw badInput('to', `the period may be at most ${MAX_RANGE_DAYS} days`);
    const timeZone = args.timeZone ?? 'UTC';
    if (!isValidTimeZone(timeZone) || !(await this.postgresKnowsZone(timeZone))) throw badInput('timeZone', `is not an IANA time zone: ${timeZone}`);
    const groupBy = [...new Set(args.groupBy ?? [])];
    if (groupBy.filter(isTimeGroup).length > 1) throw badInput('groupBy', 'may hold one of DAY, WEEK and MONTH');
    const filter = args.filter ?? {};
    const figures = args.figures ?? ALL_FIGURES;
    return {
      from: args.from,
      to: args.to,
      timeZone,
      now: this.clock.now(),
      groupBy,
      serviceIds: (filter.serviceIds ?? []).map((id, index) => requireUuid(`filter.serviceIds[${index}]`, id)),
      integrationIds: (filter.integrationIds ?? []).map((id, index) => requireUuid(`filter.integrationIds[${index}]`, id)),
      priorities: oneOf('filter.priorities', filter.priorities, Object.values(Priority)),
      sources: oneOf('filter.sources', filter.sources, Object.values(IncidentSource)),
      statuses: oneOf('filter.statuses', filter.statuses, Object.values(IncidentStatus)),
      figures,
      holidays: figures.has('interruptions') ? await holidayDatesOfPeople(this.db, args.from, args.to) : {},
    };
  }

  /** pg_timezone_names is read from disk on every query (tens of milliseconds): a zone PostgreSQL knows is remembered. */
  private async postgresKnowsZone(zone: string): Promise<boolean> {
    if (this.knownZones.has(zone)) return true;
    const [row] = await this.db.query(`SELECT 1 FROM pg_timezone_names WHERE name = $1`, [zone]);
    if (row) this.knownZones.add(zone);
    return Boolean(row);
  }
}

/** GraphQL checks its enums; a URL's values (the CSV export, the report) are checked here. */
function oneOf<T extends string>(field: string, values: readonly string[] | null | undefined, allowed: readonly T[]): T[] {
  return (values ?? []).map((value, index) => {
    if (!allowed.includes(value as T)) throw badInput(`${field}[${index}]`, `must be one of ${allowed.join(', ')}`);
    return value as T;
  });
}

function metricsRow(row: Record<string, unknown>): IncidentMetricsRow {
  const count = (name: string) => Number(row[name] ?? 0);
  const opened = count('opened');
  const resolved = count('resolved');
  const pagesByChannel = CHANNELS.map((channel) => ({ channel, count: count(`pages_${channel.toLowerCase()}`) }));
  return {
    serviceId: (row.service_id as string | null) ?? null,
    priority: (row.priority as IncidentMetricsRow['priority']) ?? null,
    source: (row.source as IncidentMetricsRow['source']) ?? null,
    integrationId: (row.integration_id as string | null) ?? null,
    periodStart: (row.period_start as Date | null) ?? null,
    periodEnd: (row.period_end as Date | null) ?? null,
    opened,
    resolved,
    stillOpen: count('still_open'),
    falsePositives: count('false_positives'),
    falsePositiveShare: resolved ? count('false_positives') / resolved : null,
    timeToAcknowledge: durationStatsOf(row, 'tta'),
    timeToMitigate: durationStatsOf(row, 'ttm'),
    timeToResolve: durationStatsOf(row, 'ttr'),
    timeToDetect: durationStatsOf(row, 'ttd'),
    alerts: count('alerts'),
    alertsPerIncident: opened ? count('alerts') / opened : null,
    repeatOccurrences: count('repeats'),
    escalated: count('escalated'),
    acknowledgedWithinFirstStep: count('acknowledged_in_first_step'),
    pagesSent: pagesByChannel.reduce((sum, channel) => sum + channel.count, 0),
    pagesByChannel,
    pagesInBusinessHours: count('pages_business'),
    pagesInOffHours: count('pages_off'),
    pagesInSleepHours: count('pages_sleep'),
    alertsSuppressedByMaintenance: nullableNumber(row.suppressed_alerts),
    maintenanceMinutes: nullableNumber(row.maintenance_minutes),
    componentDowntime: componentDowntimeOf(row.component_downtime),
    communicationsDue: count('communications_due'),
    communicationsOnTime: count('communications_on_time'),
    communicationComplianceShare: count('communications_due') ? count('communications_on_time') / count('communications_due') : null,
  };
}

/** The statement's jsonb list (component-downtime.sql.ts) with the weighted downtime added. */
function componentDowntimeOf(value: unknown): ComponentDowntime[] {
  const components = (value ?? []) as Array<{ serviceId: string; major: number; partial: number; degraded: number }>;
  return components.map(({ serviceId, major, partial, degraded }) => ({
    serviceId,
    majorOutageSeconds: major,
    partialOutageSeconds: partial,
    degradedPerformanceSeconds: degraded,
    downtimeSeconds: weightedDowntimeSeconds(major, partial),
  }));
}
