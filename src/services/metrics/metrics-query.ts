/** What an incidentMetrics (or responderMetrics, or export) statement is asked: the shared input of the metrics' SQL builders. */
import type { IncidentSource, MetricGroup, Priority } from '../../shared/enums';

/**
 * The figures a statement computes beyond the counts of incidents (opened, resolved, still open, false positives):
 * each costs joins or sorts, so an answer computes those its reader asked for (all by default).
 */
export const METRIC_FIGURES = ['tta', 'ttm', 'ttr', 'ttd', 'alerts', 'repeats', 'escalation', 'pages', 'interruptions', 'componentDowntime', 'suppressed', 'maintenance', 'communications'] as const;
export type MetricFigure = (typeof METRIC_FIGURES)[number];
export const ALL_FIGURES: ReadonlySet<MetricFigure> = new Set(METRIC_FIGURES);

export interface MetricsQuery {
  from: Date;
  to: Date;
  timeZone: string;
  /** The clock's now: maintenance still in progress counts up to it. */
  now: Date;
  groupBy: MetricGroup[];
  serviceIds: string[];
  priorities: Priority[];
  sources: IncidentSource[];
  statuses: string[];
  integrationIds: string[];
  figures: ReadonlySet<MetricFigure>;
  /** Each holiday region people's working hours name, with its holidays over the period (holidayDatesOfPeople). */
  holidays: Readonly<Record<string, string[]>>;
}

/** A statement's parameters, starting with `first` ($1, $2…); `param` adds one and returns its typed placeholder. */
export function statementParams(first: unknown[]): { params: unknown[]; param: (value: unknown, cast: string) => string } {
  const params = [...first];
  return { params, param: (value, cast) => `$${params.push(value)}::${cast}` };
}
