import { impactOfPrioritySql } from '../../shared/component-downtime';

/**
 * Downtime per component, as the IRF and the status page count it: each incident's stated component impacts (or its
 * own service at the impact of its priority), over its impact span (impact start or detection → resolution, cut at
 * `to`). Within a group the spans of one component are united, so overlapping incidents count once, and each moment
 * counts at its worst impact: a major outage 100 % down, a partial one 30 %, degraded performance not at all.
 */

/** The cohort's incidents × their components with the impact and span; `c` is the cohort. */
export const COMPONENT_IMPACTS_SQL = `
  SELECT c.*, coalesce(ci.service_id, c.service_id) AS component_id,
         coalesce(ci.impact, ${impactOfPrioritySql('c.priority')}) AS impact
    FROM cohort c LEFT JOIN incident_component_impact ci ON ci.incident_id = c.id
   WHERE c.impact_span IS NOT NULL`;

const seconds = (multirange: string) =>
  `(SELECT coalesce(sum(extract(epoch FROM upper(piece) - lower(piece))), 0)::float8 FROM unnest(${multirange}) AS piece)`;
const EMPTY = `'{}'::tstzmultirange`;

/** One jsonb array per group of `keys` (none: the total) listing every component with its seconds per impact. */
export function componentDowntimeSql(keys: readonly string[]): string {
  const groupKeys = keys.map((key) => `${key}, `).join('');
  const major = `coalesce(range_agg(impact_span) FILTER (WHERE impact = 'MAJOR_OUTAGE'), ${EMPTY})`;
  const partial = `coalesce(range_agg(impact_span) FILTER (WHERE impact = 'PARTIAL_OUTAGE'), ${EMPTY})`;
  const degraded = `coalesce(range_agg(impact_span) FILTER (WHERE impact = 'DEGRADED_PERFORMANCE'), ${EMPTY})`;
  return `
    SELECT ${groupKeys}jsonb_agg(jsonb_build_object('serviceId', component_id, 'major', major, 'partial', partial, 'degraded', degraded) ORDER BY component_id) AS component_downtime
      FROM (SELECT ${groupKeys}component_id,
                   ${seconds('major')} AS major,
                   ${seconds('partial - major')} AS partial,
                   ${seconds('degraded - partial - major')} AS degraded
              FROM (SELECT ${groupKeys}component_id, ${major} AS major, ${partial} AS partial, ${degraded} AS degraded
                      FROM impacts GROUP BY ${groupKeys}component_id) spans) per_component
     ${keys.length ? `GROUP BY ${keys.join(', ')}` : ''}`;
}
