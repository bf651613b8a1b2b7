import { ChannelKind, IncidentSource, MetricGroup, Priority } from '../../shared/enums';
import { statementParams, type MetricFigure, type MetricsQuery } from './metrics-query';
import { COMPONENT_IMPACTS_SQL, componentDowntimeSql } from './component-downtime.sql';
import { maintenanceApplies, maintenanceMinutesSql, maintenanceSpansSql, suppressedAlertsSql, suppressionApplies } from './period-figures.sql';

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
 * and integrations); the grouped aggregates are joined onto it. The groups and the total are one GROUPING SETS pass
 * over the cohort (one sort, and the cohort is read once, so PostgreSQL inlines it instead of materialising it).
 * Local periods are a series of zone-less local timestamps turned back into instants, so a day is 23 or 25 hours
 * where the zone changes its clocks.
 */
export function incidentMetricsSql(query: MetricsQuery): { sql: string; params: unknown[] } {
  const { params, param } = statementParams([query.from, query.to, query.timeZone]);
  const timeGroup = query.groupBy.find(isTimeGroup);
  const unit = timeGroup ? TIME_UNITS[timeGroup]! : 'day';
  const keys = query.groupBy.map((group) => (isTimeGroup(group) ? 'period_start' : KEY_COLUMNS[group]!));
  const figures = query.figures;
  const suppression = figures.has('suppressed') && suppressionApplies(keys);
  const maintenance = figures.has('maintenance') && maintenanceApplies(keys);
  const downtime = figures.has('componentDowntime');

  const values = (group: MetricGroup): string => {
    switch (group) {
      case MetricGroup.SERVICE:
        if (query.serviceIds.length) return `SELECT unnest(${param(query.serviceIds, 'uuid[]')}) AS service_id`;
        // A service without incidents but with suppressed alerts or maintenance has a row too.
        return [`SELECT DISTINCT service_id FROM grouped WHERE NOT grouped_total`, ...(suppression ? [`SELECT service_id FROM suppressed`] : []), ...(maintenance ? [`SELECT service_id FROM maintenance`] : [])].join(' UNION ');
      case MetricGroup.INTEGRATION:
        if (query.integrationIds.length) return `SELECT unnest(${param(query.integrationIds, 'uuid[]')}) AS integration_id`;
        return [`SELECT DISTINCT integration_id FROM grouped WHERE NOT grouped_total`, ...(suppression ? [`SELECT integration_id FROM suppressed`] : [])].join(' UNION ');
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

  const sum = (column: string): [string, string] => [column, `coalesce(sum(${column}), 0)::int`];
  const aggregates: Array<[string, string]> = [
    ['opened', 'count(*)::int'],
    ['resolved', 'count(*) FILTER (WHERE resolved)::int'],
    ['still_open', 'count(*) FILTER (WHERE NOT resolved)::int'],
    ['false_positives', "count(*) FILTER (WHERE resolved AND resolution = 'FALSE_POSITIVE')::int"],
    ...DURATIONS.filter((d) => figures.has(d)).flatMap((d): Array<[string, string]> => [
      [`${d}_count`, `count(${d})::int`],
      [`${d}_mean`, `avg(${d})`],
      [`${d}_median`, `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${d})`],
      [`${d}_p90`, `percentile_cont(0.9) WITHIN GROUP (ORDER BY ${d})`],
    ]),
    ...(figures.has('alerts') ? [sum('alerts')] : []),
    ...(figures.has('repeats') ? [sum('repeats')] : []),
    ...(figures.has('escalation')
      ? ([
          ['escalated', 'count(*) FILTER (WHERE escalated)::int'],
          ['acknowledged_in_first_step', 'count(*) FILTER (WHERE tta IS NOT NULL AND NOT escalated)::int'],
        ] as Array<[string, string]>)
      : []),
    ...(figures.has('pages') ? CHANNELS.map((channel) => sum(`pages_${channel.toLowerCase()}`)) : []),
    ...(figures.has('interruptions') ? BANDS.map((band) => sum(`pages_${band}`)) : []),
    ...(figures.has('communications') ? [sum('communications_due'), sum('communications_on_time')] : []),
  ];
  const aggregateList = aggregates.map(([name, expression]) => `${expression} AS ${name}`).join(',\n           ');

  const keyList = keys.join(', ');
  const grouped = keys.length
    ? `, grouped AS (SELECT ${keyList}, GROUPING(${keys[0]}) = 1 AS grouped_total, ${aggregateList} FROM cohort GROUP BY GROUPING SETS ((${keyList}), ())),
       skeleton AS (SELECT * FROM ${query.groupBy.map((group, index) => `(${values(group)}) AS k${index}`).join(' CROSS JOIN ')})${downtime ? `,\n       downtime AS (${componentDowntimeSql(keys)})` : ''}${
         suppression ? `,\n       suppressed_grouped AS (SELECT ${keyList}, count(*)::int AS suppressed_alerts FROM suppressed GROUP BY ${keyList})` : ''
       }`
    : '';
  const periodEnd = timeGroup ? `(s.period_start AT TIME ZONE $3 + interval '1 ${unit}') AT TIME ZONE $3` : 'NULL::timestamptz';
  const keyOut = (column: string) => (keys.includes(column) ? `s.${column}` : `NULL`);
  const joinOn = (alias: string) =>
    keys.map((key) => (key === 'integration_id' ? `${alias}.${key} IS NOT DISTINCT FROM s.${key}` : `${alias}.${key} = s.${key}`)).join(' AND ');
  const rowMaintenance = maintenance
    ? maintenanceMinutesSql(keys.includes('service_id') ? 'm.service_id = s.service_id' : 'true', timeGroup ? `tstzrange(s.period_start, ${periodEnd})` : `tstzrange($1, $2)`)
    : 'NULL::float8';
  const rows = keys.length
    ? `SELECT false AS is_total, ${keyOut('service_id')}::uuid AS service_id, ${keyOut('priority')}::text AS priority, ${keyOut('source')}::text AS source,
              ${keyOut('integration_id')}::uuid AS integration_id, ${keyOut('period_start')}::timestamptz AS period_start, ${periodEnd} AS period_end,
              ${aggregates.map(([name]) => `g.${name}`).join(', ')},
              ${downtime ? 'd.component_downtime' : 'NULL::jsonb'} AS component_downtime, ${suppression ? 'coalesce(sg.suppressed_alerts, 0)' : 'NULL::int'} AS suppressed_alerts, ${rowMaintenance} AS maintenance_minutes
         FROM skeleton s LEFT JOIN grouped g ON NOT g.grouped_total AND ${joinOn('g')}${downtime ? `\n         LEFT JOIN downtime d ON ${joinOn('d')}` : ''}${suppression ? `\n         LEFT JOIN suppressed_grouped sg ON ${joinOn('sg')}` : ''}
       UNION ALL
      `
    : '';
  // Joined on = where the key is never null, so PostgreSQL can hash the grid; only integration_id (null for incidents
  // declared by hand) needs IS NOT DISTINCT FROM, which only a nested loop evaluates.
  const order = ['is_total DESC', ...keys.map((key) => `${key} NULLS FIRST`)].join(', ');

  const sql = `
    WITH cohort AS (
      ${cohortSql(query, param, unit)}
    )${downtime ? `, impacts AS (${COMPONENT_IMPACTS_SQL}\n    )` : ''}${
      figures.has('suppressed') ? `, suppressed AS (\n      ${suppressedAlertsSql(query, param, unit)}\n    )` : ''
    }${figures.has('maintenance') ? `, maintenance AS (\n      ${maintenanceSpansSql(query, param)}\n    )` : ''}${grouped}
    SELECT * FROM (
      ${rows}SELECT true AS is_total, NULL::uuid AS service_id, NULL::text AS priority, NULL::text AS source, NULL::uuid AS integration_id,
             NULL::timestamptz AS period_start, NULL::timestamptz AS period_end,
             ${keys.length ? aggregates.map(([name]) => name).join(', ') : aggregateList},
             ${downtime ? `(${componentDowntimeSql([])})` : 'NULL::jsonb'} AS component_downtime,
             ${figures.has('suppressed') ? '(SELECT count(*)::int FROM suppressed)' : 'NULL::int'} AS suppressed_alerts,
             ${figures.has('maintenance') ? maintenanceMinutesSql('true', 'tstzrange($1, $2)') : 'NULL::float8'} AS maintenance_minutes
        FROM ${keys.length ? 'grouped WHERE grouped_total' : 'cohort'}
    ) answer
    ORDER BY ${order}`;
  return { sql, params };
}


/**
 * Where a page fell for its recipient, from its local time in their zone and their working hours (a jsonb
 * {days, start, end, holidayRegion?}; an end at or before the start runs past midnight): 'business' within them, else
 * 'sleep' 22:00–08:00, else 'off'; none (null) for a page to no person. A working day that is a holiday of their
 * region is off: `holidays` is the statement's jsonb {region: ['YYYY-MM-DD', …]}, and the hours after midnight of a
 * shift belong to the date it began on. The one definition of interruptions, for incidents and for people.
 */
export function pageBandSql(localAt: string, hours: string, holidays: string): string {
  const time = `(${localAt})::time`;
  const day = `extract(isodow FROM ${localAt})::int`;
  const start = `(${hours}->>'start')::time`;
  const end = `(${hours}->>'end')::time`;
  const works = (weekday: string) => `(${hours}->'days') @> to_jsonb(${weekday})`;
  const previousDay = `(CASE ${day} WHEN 1 THEN 7 ELSE ${day} - 1 END)`;
  const workday = (date: string) => `NOT coalesce((${holidays} -> (${hours}->>'holidayRegion')) ? to_char(${date}, 'YYYY-MM-DD'), false)`;
  const today = `(${localAt})::date`;
  return `CASE WHEN ${localAt} IS NULL THEN NULL
               WHEN CASE WHEN ${start} < ${end} THEN ${works(day)} AND ${time} >= ${start} AND ${time} < ${end} AND ${workday(today)}
                         ELSE (${works(day)} AND ${time} >= ${start} AND ${workday(today)})
                           OR (${works(previousDay)} AND ${time} < ${end} AND ${workday(`${today} - 1`)}) END THEN 'business'
               WHEN extract(hour FROM ${localAt}) >= 22 OR extract(hour FROM ${localAt}) < 8 THEN 'sleep'
               ELSE 'off' END`;
}

/**
 * Seconds from `earlier` to `later` as float8. Not `extract(epoch …)`: since PostgreSQL 14 it returns numeric, and
 * converting it back on every incident of a million was 15 % of bench:metrics' statement.
 */
export function secondsBetween(later: string, earlier: string): string {
  return `date_part('epoch', ${later} - ${earlier})`;
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
 * One row per incident opened in [from, to) matching the filter, with what the asked figures are computed from:
 * durations from the stored transition times, only those reached before `to`; alert, repeat and delivered-page
 * counts; whether its escalation got past the first step; its impact span and communication obligations. The
 * metrics aggregate it, the CSV export lists it: the same numbers. Joins only what the figures need.
 */
function cohortSql(query: MetricsQuery, param: (value: unknown, cast: string) => string, unit: string, exportColumns = false): string {
  const figures = query.figures;
  const has = (...any: MetricFigure[]) => any.some((figure) => figures.has(figure));
  const needsAlerts = has('alerts', 'ttd', 'componentDowntime');
  const needsReview = has('ttd', 'componentDowntime');
  const needsFacts = needsAlerts || has('pages');
  const pagesSent = CHANNELS.map(deliveredPagesSql);
  const columns = [
    ...(exportColumns
      ? [`i.number, i.title, i.status, i.opened_at, i.acknowledged_at, i.mitigated_at, i.resolved_at`, `(SELECT name FROM service WHERE id = i.service_id) AS service_name`, `${pagesSent.join(' + ')} AS pages_sent`]
      : []),
    `i.id, i.service_id, i.priority, i.source, i.integration_id, i.resolution`,
    `date_trunc('${unit}', i.opened_at AT TIME ZONE $3) AT TIME ZONE $3 AS period_start`,
    `(i.resolved_at < $2) IS TRUE AS resolved`,
    `CASE WHEN i.acknowledged_at < $2 THEN ${secondsBetween('i.acknowledged_at', 'i.opened_at')} END AS tta`,
    `CASE WHEN i.mitigated_at < $2 THEN ${secondsBetween('i.mitigated_at', 'i.opened_at')} END AS ttm`,
    `CASE WHEN i.resolved_at < $2 THEN ${secondsBetween('i.resolved_at', 'i.opened_at')} END AS ttr`,
    ...(needsReview
      ? [
          `CASE WHEN r.impact_started_at IS NOT NULL THEN greatest(0, ${secondsBetween('least(f.first_alert_at, i.opened_at)', 'r.impact_started_at')}) END AS ttd`,
          `CASE WHEN least(r.impact_started_at, f.first_alert_at, i.opened_at) < least(i.resolved_at, $2)
                THEN tstzrange(least(r.impact_started_at, f.first_alert_at, i.opened_at), least(i.resolved_at, $2)) END AS impact_span`,
        ]
      : []),
    ...(needsAlerts ? [`coalesce(f.alerts, 0) AS alerts`] : []),
    ...(has('repeats') ? [`coalesce(rp.repeats, 0) AS repeats`] : []),
    ...(has('escalation') ? [`(e.step_index > 0 OR e.repeat_index > 0) IS TRUE AS escalated`] : []),
    ...(has('pages') ? CHANNELS.map((channel, index) => `${pagesSent[index]} AS pages_${channel.toLowerCase()}`) : []),
    ...(has('interruptions') ? BANDS.map((band) => `coalesce(n.pages_${band}, 0) AS pages_${band}`) : []),
    ...(has('communications') ? [`coalesce(o.due, 0) AS communications_due, coalesce(o.on_time, 0) AS communications_on_time`] : []),
  ];
  const joins = [
    ...(needsReview ? [`LEFT JOIN incident_review r ON r.incident_id = i.id`] : []),
    ...(has('escalation') ? [`LEFT JOIN incident_escalation e ON e.incident_id = i.id`] : []),
    ...(has('communications') ? [`LEFT JOIN (${COMMUNICATIONS_SQL}) o ON o.incident_id = i.id`] : []),
    // The triggers' per-incident counts (migration IncidentMetricFacts) instead of aggregating every alert and page
    // of the period: at a million incidents those aggregations were half of bench:metrics' query.
    ...(needsFacts ? [`LEFT JOIN incident_metric_fact f ON f.incident_id = i.id`] : []),
    ...(has('pages') ? [`LEFT JOIN (${pagesDeliveredSinceSql()}) late ON late.incident_id = i.id`] : []),
    ...(has('interruptions') ? [`LEFT JOIN (${pageBandsOfIncidentsSql(param(JSON.stringify(query.holidays), 'jsonb'))}) n ON n.incident_id = i.id`] : []),
    // Repeats are counted from the alerts themselves (keeping them per incident would make every repeat under a
    // storm update one row), aggregated per period incident and hash-joined.
    ...(has('repeats')
      ? [`LEFT JOIN (SELECT incident_id, sum(occurrences - 1) AS repeats FROM alert WHERE incident_id IN (${PERIOD_INCIDENTS}) GROUP BY incident_id) rp ON rp.incident_id = i.id`]
      : []),
  ];
  return `SELECT ${columns.join(',\n             ')}
        FROM incident i
        ${joins.join('\n        ')}
       WHERE i.opened_at >= $1 AND i.opened_at < $2 ${incidentFilterSql(query, param)}`;
}

const PERIOD_INCIDENTS = `SELECT id FROM incident WHERE opened_at >= $1 AND opened_at < $2`;

/** An incident's pages on `channel` delivered before `to`: the trigger-kept count less those delivered since. */
function deliveredPagesSql(channel: string): string {
  const column = `pages_${channel.toLowerCase()}`;
  return `(coalesce(f.${column}, 0) - coalesce(late.${column}, 0))`;
}

/** Pages delivered at or after `to`, per incident and channel: few (none when `to` is now), found by notification_sent_idx. */
function pagesDeliveredSinceSql(): string {
  const perChannel = CHANNELS.map((channel) => `count(*) FILTER (WHERE channel = '${channel}') AS pages_${channel.toLowerCase()}`);
  return `SELECT incident_id, ${perChannel.join(', ')} FROM notification
           WHERE status = 'SENT' AND incident_id IS NOT NULL AND sent_at >= $2 GROUP BY incident_id`;
}

/** Each period incident's pages delivered before `to` per interruption band, reading each recipient's zone. */
function pageBandsOfIncidentsSql(holidays: string): string {
  const perBand = BANDS.map((band) => `count(*) FILTER (WHERE ${pageBandSql('n.sent_at AT TIME ZONE p.time_zone', 'p.working_hours', holidays)} = '${band}') AS pages_${band}`);
  return `SELECT n.incident_id, ${perBand.join(', ')}
            FROM notification n LEFT JOIN person p ON p.id = n.person_id
           WHERE n.incident_id IN (${PERIOD_INCIDENTS}) AND n.status = 'SENT' AND n.sent_at < $2
           GROUP BY n.incident_id`;
}

/**
 * Each incident's communication obligations that fell due before `to`, and those met by then: an obligation counts
 * as due unless it was ended (the incident resolved, the cadence changed) before its due time without being met;
 * met on time means met at or before its due time.
 */
const COMMUNICATIONS_SQL = `
  SELECT incident_id, count(*) AS due, count(*) FILTER (WHERE met_at <= due_at) AS on_time
    FROM communication_obligation
   WHERE incident_id IS NOT NULL AND due_at < $2 AND (ended_at IS NULL OR ended_at >= due_at)
   GROUP BY incident_id`;

/** The export's rows: the metrics' cohort with each incident's facts, oldest first ($1 from, $2 to, $3 zone). */
export function incidentRowsSql(query: MetricsQuery): { sql: string; params: unknown[] } {
  const { params, param } = statementParams([query.from, query.to, query.timeZone]);
  return { sql: `${cohortSql(query, param, 'day', true)}\n       ORDER BY i.opened_at, i.id`, params };
}
