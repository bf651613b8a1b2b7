/**
 * How much of an impact counts as downtime, and which impact an incident has when it states none: the one rule the
 * status page's uptime, the IRF's downtime per component and the metrics' componentDowntime all follow.
 */
import { ComponentImpact, Priority } from './enums';

/** A major outage is down; a partial one counts 30 %; degraded performance is up. */
export const DOWNTIME_WEIGHT: Readonly<Record<ComponentImpact, number>> = { MAJOR_OUTAGE: 1, PARTIAL_OUTAGE: 0.3, DEGRADED_PERFORMANCE: 0 };

export const weightedDowntimeSeconds = (majorSeconds: number, partialSeconds: number): number =>
  majorSeconds * DOWNTIME_WEIGHT.MAJOR_OUTAGE + partialSeconds * DOWNTIME_WEIGHT.PARTIAL_OUTAGE;

const IMPACT_OF_PRIORITY: Readonly<Record<Priority, ComponentImpact>> = {
  P1: ComponentImpact.MAJOR_OUTAGE,
  P2: ComponentImpact.PARTIAL_OUTAGE,
  P3: ComponentImpact.DEGRADED_PERFORMANCE,
  P4: ComponentImpact.DEGRADED_PERFORMANCE,
};

/** An incident without stated component impacts affects its own service by priority. */
export const impactOfPriority = (priority: Priority): ComponentImpact => IMPACT_OF_PRIORITY[priority];

/** The same rule in SQL, over a column holding the priority. */
export const impactOfPrioritySql = (priority: string): string =>
  `CASE ${priority} ${Object.entries(IMPACT_OF_PRIORITY).map(([p, impact]) => `WHEN '${p}' THEN '${impact}'`).join(' ')} END`;
