import { ChannelKind, IncidentSource, MetricGroup, Priority } from '../../shared/enums';

export interface MetricsQuery {
  from: Date;
  to: Date;
  timeZone: string;
  groupBy: MetricGroup[];
  serviceIds: string[];
  priorities: Priority[];
  sources: IncidentSource[];
  statuses: string[];
  integrationIds: string[];
}

const TIME_UNITS: Partial<Record<MetricGroup, string>> = { [MetricGroup.DAY]: 'day', [MetricGroup.WEEK]: 'week', [MetricGroup.MONTH]: 'month' };
export const isTimeGroup = (group: MetricGroup): boolean => group in TIME_UNITS;
export const CHANNELS = Object.values(ChannelKind);
/** Interruption bands (pageBandSql); a page to no person (a webhook channel) falls in none. */
export const BANDS = ['business', 'off', 'sleep'] as const;
const DURATIONS = ['tta', 'ttm', 'ttr', 'ttd'] as const;

/** The column each non-time group is keyed by in the cohort. */
const KEY_COLUMNS: Partial<Record<MetricGroup, string>> = {
  [MetricGroup.SERVICE]: 'service_id',
  [MetricGroup.PRIORITY]: 'priority',
  [MetricGroup.SOURCE]: 'source',
  [MetricGroup.INTEGRATION]: 'integration_id',
};

/**
 * One statement computing every figure in PostgreSQL. `cohort` is one row per incident opened in [from, to) with its
 * durations (only those reached before `to`) and its alert and page counts; `skeleton` lists every group the answer
 * must show, empty or not (every local period of the range, every priority and source, the filtered or seen services
 * and integrations); the grouped aggregates are joined onto it, and the total is the same aggregates over the cohort.
 * Local periods are a series of zone-less local timestamps turned back into instants, so a day is 23 or 25 hours
 * where the zone changes its clocks.
 */
export function incidentMetricsSql(query: MetricsQuery): { sql: string; params: unknown[] } {
  const { params, param } = statementParams([query.from, query.to, query.timeZone]);
  const timeGroup = query.groupBy.find(isTimeGroup);
  const unit = timeGroup ? TIME_UNITS[timeGroup]! : 'day';
  const keys = query.groupBy.map((group) => (isTimeGroup(group) ? 'period_start' : KEY_COLUMNS[group]!));

  const values = (group: MetricGroup): string => {
    switch (group) {
      case MetricGroup.SERVICE:
        return query.serviceIds.length ? `SELECT unnest(${param(query.serviceIds, 'uuid[]')}) AS service_id` : `SELECT DISTINCT service_id FROM cohort`;
      case MetricGroup.INTEGRATION:
        return query.integrationIds.length ? `SELECT unnest(${param(query.integrationIds, 'uuid[]')}) AS integration_id` : `SELECT DISTINCT integration_id FROM cohort`;
      case MetricGroup.PRIORITY:
        return `SELECT unnest(${param(query.priorities.length ? query.priorities : Object.values(Priority), 'text[]')}) AS priority`;
      case MetricGroup.SOURCE:
        return `SELECT unnest(${param(query.sources.length ? query.sources : Object.values(IncidentSource), 'text[]')}) AS source`;
      default:
        return `SELECT local_start AT TIME ZONE $3 AS period_start
                  FROM generate_series(date_trunc('${unit}', $1::timestamptz AT TIME ZONE $3), $2::timestamptz AT TIME ZONE $3, interval '1 ${unit}') AS local_start
                 WHERE local_start < $2::timestamptz AT TIME ZONE $3`;
    }
  };

  const aggregates: Array<[string, string]> = [
    ['opened', 'count(*)::int'],
    ['resolved', 'count(*) FILTER (WHERE resolved)::int'],
    ['still_open', 'count(*) FILTER (WHERE NOT resolved)::int'],
    ['false_positives', "count(*) FILTER (WHERE resolved AND resolution = 'FALSE_POSITIVE')::int"],
    ...DURATIONS.flatMap((d): Array<[string, string]> => [
      [`${d}_count`, `count(${d})::int`],
      [`${d}_mean`, `avg(${d})`],
      [`${d}_median`, `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${d})`],
      [`${d}_p90`, `percentile_cont(0.9) WITHIN GROUP (ORDER BY ${d})`],
    ]),
    ['alerts', 'coalesce(sum(alerts), 0)::int'],
    ['repeats', 'coalesce(sum(repeats), 0)::int'],
    ['escalated', 'count(*) FILTER (WHERE escalated)::int'],
    ['acknowledged_in_first_step', 'count(*) FILTER (WHERE tta IS NOT NULL AND NOT escalated)::int'],
    ...CHANNELS.map((channel): [string, string] => [`pages_${channel.toLowerCase()}`, `coalesce(sum(pages_${channel.toLowerCase()}), 0)::int`]),
    ...BANDS.map((band): [string, string] => [`pages_${band}`, `coalesce(sum(pages_${band}), 0)::int`]),
  ];
  const aggregateList = aggregates.map(([name, expression]) => `${expression} AS ${name}`).join(',\n           ');

  const keyList = keys.join(', ');
  const grouped = keys.length
    ? `, skeleton AS (SELECT * FROM ${query.groupBy.map((group, index) => `(${values(group)}) AS k${index}`).join(' CROSS JOIN ')}),
       grouped AS (SELECT ${keyList}, ${aggregateList} FROM cohort GROUP BY ${keyList})`
    : '';
  const periodEnd = timeGroup ? `(s.period_start AT TIME ZONE $3 + interval '1 ${unit}') AT TIME ZONE $3` : 'NULL::timestamptz';
  const keyOut = (column: string) => (keys.includes(column) ? `s.${column}` : `NULL`);
  const rows = keys.length
    ? `SELECT false AS is_total, ${keyOut('service_id')}::uuid AS service_id, ${keyOut('priority')}::text AS priority, ${keyOut('source')}::text AS source,
              ${keyOut('integration_id')}::uuid AS integration_id, ${keyOut('period_start')}::timestamptz AS period_start, ${periodEnd} AS period_end,
              ${aggregates.map(([name]) => `g.${name}`).join(', ')}
         FROM skeleton s LEFT JOIN grouped g ON ${keys.map((key) => (key === 'integration_id' ? `g.${key} IS NOT DISTINCT FROM s.${key}` : `g.${key} = s.${key}`)).join(' AND ')}
       UNION ALL
      `
    : '';
  // Joined on = where the key is never null, so PostgreSQL can hash the grid; only integration_id (null for incidents
  // declared by hand) needs IS NOT DISTINCT FROM, which only a nested loop evaluates.
  const order = ['is_total DESC', ...keys.map((key) => `${key} NULLS FIRST`)].join(', ');

  const sql = `
    WITH cohort AS (
      ${cohortSql(query, param, unit)}
    )${grouped}
    SELECT * FROM (
      ${rows}SELECT true AS is_total, NULL::uuid AS service_id, NULL::text AS priority, NULL::text AS source, NULL::uuid AS integration_id,
             NULL::timestamptz AS period_start, NULL::timestamptz AS period_end,
             ${aggregateList}
        FROM cohort
    ) answer
    ORDER BY ${order}`;
  return { sql, params };
}

/** A statement's parameters, starting with `first` ($1, $2…); `param` adds one and returns its typed placeholder. */
export function statementParams(first: unknown[]): { params: unknown[]; param: (value: unknown, cast: string) => string } {
  const params = [...first];
  return { params, param: (value, cast) => `$${params.push(value)}::${cast}` };
}

/**
 * Where a page fell for its recipient, from its local time in their zone: 'sleep' 22:00–08:00 every day, 'business'
 * Monday–Friday 09:00–18:00, 'off' the rest. The one definition of interruptions, for incidents and for people.
 */
export function pageBandSql(localAt: string): string {
  return `CASE WHEN extract(hour FROM ${localAt}) >= 22 OR extract(hour FROM ${localAt}) < 8 THEN 'sleep'
               WHEN extract(isodow FROM ${localAt}) <= 5 AND extract(hour FROM ${localAt}) BETWEEN 9 AND 17 THEN 'business'
               ELSE 'off' END`;
}

/** The filter's conditions on `incident i`, each `AND …`, its values added to the statement's parameters. */
export function incidentFilterSql(query: MetricsQuery, param: (value: unknown, cast: string) => string): string {
  const filters: string[] = [];
  if (query.serviceIds.length) filters.push(`i.service_id = ANY(${param(query.serviceIds, 'uuid[]')})`);
  if (query.priorities.length) filters.push(`i.priority = ANY(${param(query.priorities, 'text[]')})`);
  if (query.sources.length) filters.push(`i.source = ANY(${param(query.sources, 'text[]')})`);
  if (query.statuses.length) filters.push(`i.status = ANY(${param(query.statuses, 'text[]')})`);
  if (query.integrationIds.length) filters.push(`i.integration_id = ANY(${param(query.integrationIds, 'uuid[]')})`);
  return filters.map((filter) => `AND ${filter}`).join(' ');
}

/**
 * One row per incident opened in [from, to) matching the filter, with what every figure is computed from: durations
 * from the stored transition times, only those reached before `to`; alert, repeat and delivered-page counts; whether
 * its escalation got past the first step. The metrics aggregate it, the CSV export lists it: the same numbers.
 */
function cohortSql(query: MetricsQuery, param: (value: unknown, cast: string) => string, unit: string, exportColumns = false): string {
  const extra = exportColumns
    ? `i.id, i.number, i.title, i.status, i.opened_at, i.acknowledged_at, i.mitigated_at, i.resolved_at,
             (SELECT name FROM service WHERE id = i.service_id) AS service_name,
             ${CHANNELS.map((channel) => `n.pages_${channel.toLowerCase()}`).join(' + ')} AS pages_sent, `
    : '';
  return `SELECT ${extra}i.service_id, i.priority, i.source, i.integration_id, i.resolution,
             date_trunc('${unit}', i.opened_at AT TIME ZONE $3) AT TIME ZONE $3 AS period_start,
             (i.resolved_at < $2) IS TRUE AS resolved,
             CASE WHEN i.acknowledged_at < $2 THEN extract(epoch FROM i.acknowledged_at - i.opened_at)::float8 END AS tta,
             CASE WHEN i.mitigated_at < $2 THEN extract(epoch FROM i.mitigated_at - i.opened_at)::float8 END AS ttm,
             CASE WHEN i.resolved_at < $2 THEN extract(epoch FROM i.resolved_at - i.opened_at)::float8 END AS ttr,
             CASE WHEN r.impact_started_at IS NOT NULL
                  THEN greatest(0, extract(epoch FROM least(a.first_seen_at, i.opened_at) - r.impact_started_at))::float8 END AS ttd,
             a.alerts, a.repeats,
             (e.step_index > 0 OR e.repeat_index > 0) IS TRUE AS escalated,
             ${CHANNELS.map((channel) => `n.pages_${channel.toLowerCase()}`).join(', ')}, ${BANDS.map((band) => `n.pages_${band}`).join(', ')}
        FROM incident i
        LEFT JOIN incident_review r ON r.incident_id = i.id
        LEFT JOIN incident_escalation e ON e.incident_id = i.id
        LEFT JOIN LATERAL (SELECT count(*) AS alerts, sum(occurrences - 1) AS repeats, min(first_seen_at) AS first_seen_at
                             FROM alert WHERE incident_id = i.id) a ON true
        LEFT JOIN LATERAL (SELECT ${CHANNELS.map((channel) => `count(*) FILTER (WHERE n.channel = '${channel}') AS pages_${channel.toLowerCase()}`).join(', ')},
                                  ${BANDS.map((band) => `count(*) FILTER (WHERE ${pageBandSql('n.sent_at AT TIME ZONE p.time_zone')} = '${band}') AS pages_${band}`).join(', ')}
                             FROM notification n LEFT JOIN person p ON p.id = n.person_id
                            WHERE n.incident_id = i.id AND n.status = 'SENT' AND n.sent_at < $2) n ON true
       WHERE i.opened_at >= $1 AND i.opened_at < $2 ${incidentFilterSql(query, param)}`;
}

/** The export's rows: the metrics' cohort with each incident's facts, oldest first ($1 from, $2 to, $3 zone). */
export function incidentRowsSql(query: MetricsQuery): { sql: string; params: unknown[] } {
  const { params, param } = statementParams([query.from, query.to, query.timeZone]);
  return { sql: `${cohortSql(query, param, 'day', true)}\n       ORDER BY i.opened_at, i.id`, params };
}
