import type { IncidentMetricsArgs } from '../services/metrics/incident-metrics.service';
import { badInput } from '../shared/domain-error';
import type { IncidentSource, IncidentStatus, Priority } from '../shared/enums';

export type AnalyticsQuerystring = Record<string, string | string[] | undefined>;

/**
 * incidentMetrics' arguments from a URL's query: `from`, `to` (ISO-8601), `timeZone`, and the filter's lists as
 * repeated parameters or comma-separated (`priorities=P1,P2`). The service checks the values; this only reads them.
 */
export function metricsArgsOf(query: AnalyticsQuerystring): IncidentMetricsArgs {
  const list = (name: string): string[] => [query[name] ?? []].flat().flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  const instant = (name: 'from' | 'to'): Date => {
    const value = query[name];
    if (typeof value !== 'string' || !value) throw badInput(name, 'is required (an ISO-8601 date-time)');
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) throw badInput(name, `is not an ISO-8601 date-time: ${value}`);
    return parsed;
  };
  const timeZone = query.timeZone;
  if (Array.isArray(timeZone)) throw badInput('timeZone', 'may be given once');
  return {
    from: instant('from'),
    to: instant('to'),
    timeZone: timeZone || null,
    filter: {
      serviceIds: list('serviceIds'),
      integrationIds: list('integrationIds'),
      priorities: list('priorities') as Priority[],
      sources: list('sources') as IncidentSource[],
      statuses: list('statuses') as IncidentStatus[],
    },
  };
}
