/**
 * The figures that are not of the cohort's incidents but of the period: alerts a maintenance window suppressed and
 * minutes under maintenance. Neither has a priority or a source, so rows grouped by PRIORITY or SOURCE (and, for
 * maintenance, INTEGRATION) show null; of the filter only serviceIds (and integrationIds for alerts) apply to them.
 */
import type { MetricsQuery } from './metrics-query';

type Param = (value: unknown, cast: string) => string;

const SUPPRESSION_KEYS = ['service_id', 'integration_id', 'period_start'];
const MAINTENANCE_KEYS = ['service_id', 'period_start'];

export const suppressionApplies = (keys: readonly string[]): boolean => keys.every((key) => SUPPRESSION_KEYS.includes(key));
export const maintenanceApplies = (keys: readonly string[]): boolean => keys.every((key) => MAINTENANCE_KEYS.includes(key));

/**
 * Alerts that arrived in [from, to) while a window suppressed them (suppressed_by stays set after the window
 * released them), bucketed by their arrival.
 */
export function suppressedAlertsSql(query: MetricsQuery, param: Param, unit: string): string {
  const filters: string[] = [];
  if (query.serviceIds.length) filters.push(`AND a.service_id = ANY(${param(query.serviceIds, 'uuid[]')})`);
  if (query.integrationIds.length) filters.push(`AND a.integration_id = ANY(${param(query.integrationIds, 'uuid[]')})`);
  return `SELECT a.service_id, a.integration_id, date_trunc('${unit}', a.first_seen_at AT TIME ZONE $3) AT TIME ZONE $3 AS period_start
            FROM alert a
           WHERE (a.suppressed_by IS NOT NULL OR a.suppressed) AND a.first_seen_at >= $1 AND a.first_seen_at < $2 ${filters.join(' ')}`;
}

/**
 * Each service's time under a window that ran, clipped to [from, to): from its start to its completion or
 * cancellation, or to `now` while it is still in progress. Windows that never started (cancelled while scheduled) have none.
 */
export function maintenanceSpansSql(query: MetricsQuery, param: Param): string {
  const now = param(query.now, 'timestamptz');
  const end = `least(coalesce(w.completed_at, w.cancelled_at, ${now}), $2)`;
  const start = `greatest(w.started_at, $1)`;
  const services = query.serviceIds.length ? `AND ws.service_id = ANY(${param(query.serviceIds, 'uuid[]')})` : '';
  return `SELECT ws.service_id, tstzrange(${start}, ${end}) AS span
            FROM maintenance_window w JOIN maintenance_window_service ws ON ws.window_id = w.id
           WHERE w.started_at IS NOT NULL AND ${start} < ${end} ${services}`;
}

/** Minutes covered by the union of the spans `where` selects, clipped to `clip` (overlapping windows count once). */
export function maintenanceMinutesSql(where: string, clip: string): string {
  return `(SELECT coalesce(sum(extract(epoch FROM upper(piece) - lower(piece))), 0)::float8 / 60
             FROM unnest((SELECT range_agg(m.span * ${clip}) FROM maintenance m WHERE ${where})) AS piece)`;
}
