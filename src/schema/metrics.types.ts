import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IncidentSource, IncidentStatus, MetricGroup, Priority } from './enums';

@InputType({ description: 'Which incidents the metrics count; every field narrows, an empty or missing list filters nothing.' })
export class IncidentMetricsFilter {
  @Field(() => [ID], { nullable: true, description: 'Incidents of these services (also the SERVICE groups listed when empty).' })
  serviceIds?: string[] | null;

  @Field(() => [Priority], { nullable: true, description: 'Incidents of these priorities (their priority now).' })
  priorities?: Priority[] | null;

  @Field(() => [IncidentSource], { nullable: true, description: 'Incidents from these sources.' })
  sources?: IncidentSource[] | null;

  @Field(() => [IncidentStatus], { nullable: true, description: 'Incidents in these statuses now.' })
  statuses?: IncidentStatus[] | null;

  @Field(() => [ID], { nullable: true, description: 'Incidents opened by alerts of these integrations.' })
  integrationIds?: string[] | null;
}

@ObjectType({ description: 'A duration over the incidents that have it, in seconds; null figures when none has.' })
export class DurationStats {
  @Field(() => Int, { description: 'How many incidents the figures are over.' })
  count!: number;

  @Field(() => Float, { nullable: true, description: 'Arithmetic mean, in seconds.' })
  meanSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median (continuous: the mean of the two middle values for an even count), in seconds.' })
  medianSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile (continuous, interpolated as PostgreSQL percentile_cont), in seconds.' })
  p90Seconds!: number | null;
}

@ObjectType({ description: 'Pages sent on one channel.' })
export class ChannelCount {
  @Field({ description: 'SMS, EMAIL, SLACK or WEBHOOK.' })
  channel!: string;

  @Field(() => Int, { description: 'Notifications delivered (SENT) on it.' })
  count!: number;
}

@ObjectType({ description: "One group's figures (or the total's, with every key null). The definitions are in README, “Metrics”." })
export class IncidentMetricsRow {
  @Field(() => ID, { nullable: true, description: 'The SERVICE group; null when not grouped by it.' })
  serviceId!: string | null;

  @Field(() => Priority, { nullable: true, description: 'The PRIORITY group.' })
  priority!: Priority | null;

  @Field(() => IncidentSource, { nullable: true, description: 'The SOURCE group.' })
  source!: IncidentSource | null;

  @Field(() => ID, { nullable: true, description: 'The INTEGRATION group: null for the incidents declared by hand, and in every row when not grouped by INTEGRATION.' })
  integrationId!: string | null;

  @Field(() => Date, { nullable: true, description: 'The DAY/WEEK/MONTH group: when the period begins, local midnight in the asked zone, as UTC.' })
  periodStart!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the period ends (exclusive), as UTC.' })
  periodEnd!: Date | null;

  @Field(() => Int, { description: 'Incidents opened in [from, to) in this group.' })
  opened!: number;

  @Field(() => Int, { description: 'Of those, resolved before `to`.' })
  resolved!: number;

  @Field(() => Int, { description: 'Of those, not resolved before `to` (open at `to`).' })
  stillOpen!: number;

  @Field(() => Int, { description: 'Of the resolved, resolved as FALSE_POSITIVE.' })
  falsePositives!: number;

  @Field(() => Float, { nullable: true, description: 'falsePositives / resolved; null when none resolved.' })
  falsePositiveShare!: number | null;

  @Field(() => DurationStats, { description: 'Opened → acknowledged, over the incidents acknowledged before `to` (MTTA is its mean).' })
  timeToAcknowledge!: DurationStats;

  @Field(() => DurationStats, { description: 'Opened → mitigated, over the incidents mitigated before `to`.' })
  timeToMitigate!: DurationStats;

  @Field(() => DurationStats, { description: 'Opened → resolved, over the incidents resolved before `to` (MTTR is its mean).' })
  timeToResolve!: DurationStats;

  @Field(() => DurationStats, { description: "Impact start → detection (the first alert or the opening, whichever was first), over the incidents whose review recorded an impact start." })
  timeToDetect!: DurationStats;

  @Field(() => Int, { description: 'Alerts attached to these incidents.' })
  alerts!: number;

  @Field(() => Float, { nullable: true, description: 'alerts / opened (noise); null for an empty group.' })
  alertsPerIncident!: number | null;

  @Field(() => Int, { description: 'Repeats of those alerts while they were firing (occurrences beyond the first).' })
  repeatOccurrences!: number;

  @Field(() => Int, { description: 'Incidents whose escalation reached step 2 or repeated its policy.' })
  escalated!: number;

  @Field(() => Int, { description: 'Incidents acknowledged before `to` without escalating past the first step.' })
  acknowledgedWithinFirstStep!: number;

  @Field(() => Int, { description: 'Pages delivered (notifications SENT) before `to` for these incidents, on every channel.' })
  pagesSent!: number;

  @Field(() => [ChannelCount], { description: 'pagesSent by channel, every channel listed.' })
  pagesByChannel!: ChannelCount[];

  @Field(() => Int, { description: "Of pagesSent to a person, those sent in their working hours (Person.workingHours, default Monday–Friday 09:00–18:00, in the recipient's zone)." })
  pagesInBusinessHours!: number;

  @Field(() => Int, { description: 'Of pagesSent to a person, those outside their working hours and sleep hours (their zone).' })
  pagesInOffHours!: number;

  @Field(() => Int, { description: 'Of pagesSent to a person, those in sleep hours, 22:00–08:00 (their zone).' })
  pagesInSleepHours!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'Alerts that arrived in [from, to) (in this period, service and integration) while a maintenance window suppressed them, released later or not. Alerts have no priority or source: null in rows grouped by PRIORITY or SOURCE, and of the filter only serviceIds and integrationIds apply.',
  })
  alertsSuppressedByMaintenance!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Minutes in [from, to) (and in this period) during which a maintenance window of this service (of any filtered service in rows not grouped by SERVICE) was in progress: from its start to its completion or cancellation, or to now while it runs; overlapping windows count once. Null in rows grouped by PRIORITY, SOURCE or INTEGRATION; of the filter only serviceIds applies.",
  })
  maintenanceMinutes!: number | null;

  @Field(() => [ComponentDowntime], {
    description:
      "Every component these incidents affected, with its time down: each incident's stated component impacts (else its own service at its priority's impact: P1 major, P2 partial, P3/P4 degraded) over its impact span (the review's impact start, else detection, to resolution, cut at `to`). Spans of one component are united, each moment counted at its worst impact.",
  })
  componentDowntime!: ComponentDowntime[];

  @Field(() => Int, {
    description:
      "These incidents' communication obligations (first public notice, public, internal and status page updates, incident calls) that fell due before `to`, except those ended unmet before their due time (the incident resolved, the cadence changed).",
  })
  communicationsDue!: number;

  @Field(() => Int, { description: 'Of communicationsDue, those met at or before their due time.' })
  communicationsOnTime!: number;

  @Field(() => Float, { nullable: true, description: 'communicationsOnTime / communicationsDue (compliance); null when none was due.' })
  communicationComplianceShare!: number | null;
}

@ObjectType({ description: "A component's time down in a metrics group." })
export class ComponentDowntime {
  @Field(() => ID, { description: 'The service (status page component).' })
  serviceId!: string;

  @Field(() => Float, { description: 'Seconds in a major outage.' })
  majorOutageSeconds!: number;

  @Field(() => Float, { description: 'Seconds in a partial outage and not a major one.' })
  partialOutageSeconds!: number;

  @Field(() => Float, { description: 'Seconds with degraded performance only.' })
  degradedPerformanceSeconds!: number;

  @Field(() => Float, { description: 'majorOutageSeconds + 0.3 × partialOutageSeconds: the downtime the status page uptime counts.' })
  downtimeSeconds!: number;
}

@ObjectType({ description: 'Incident metrics over a period: one row per group, and the total.' })
export class IncidentMetrics {
  @Field({ description: 'Start of the period (inclusive), UTC.' })
  from!: Date;

  @Field({ description: 'End of the period (exclusive), UTC.' })
  to!: Date;

  @Field({ description: 'The zone the periods are computed in.' })
  timeZone!: string;

  @Field(() => [MetricGroup], { description: 'What the rows are grouped by.' })
  groupBy!: MetricGroup[];

  @Field(() => [IncidentMetricsRow], { description: 'One row per group, every combination listed (empty ones with zeros), ordered by the groups in groupBy order; empty without groupBy.' })
  rows!: IncidentMetricsRow[];

  @Field(() => IncidentMetricsRow, { description: 'Every incident of the period and filter.' })
  total!: IncidentMetricsRow;
}

@ObjectType({ description: 'A signed link to the incident report: it is the permission to read that report, until it expires.' })
export class AnalyticsLink {
  @Field({ description: 'The report on this server (GET, no token): /analytics/report?q=…&sig=…' })
  path!: string;

  @Field({ description: 'The same with the public base URL, to open in a browser or send on.' })
  url!: string;

  @Field({ description: 'When the link stops working (UTC).' })
  expiresAt!: Date;
}

@ObjectType({ description: "One person's on-call load over the period. The definitions are in README, “Metrics”." })
export class ResponderMetricsRow {
  @Field(() => ID, { description: 'The person.' })
  personId!: string;

  @Field(() => Int, { description: 'Pages delivered to them (notifications SENT) in [from, to) for incidents matching the filter.' })
  pagesReceived!: number;

  @Field(() => Int, { description: "Of those, sent in their working hours (Person.workingHours, default Monday to Friday 09:00–18:00) in the person's own zone." })
  businessHoursPages!: number;

  @Field(() => Int, { description: 'Sent outside their working hours and outside sleep hours (their zone).' })
  offHoursPages!: number;

  @Field(() => Int, { description: 'Sent in sleep hours, 22:00–08:00 every day (their zone), outside their working hours.' })
  sleepHoursPages!: number;

  @Field(() => Int, { description: 'Incidents matching the filter they acknowledged in [from, to) (themselves, or with an API token linked to them).' })
  incidentsAcknowledged!: number;

  @Field(() => DurationStats, { description: 'Their first page of an incident → their acknowledgement of it, over the incidents they acknowledged after being paged.' })
  timeToAcknowledge!: DurationStats;

  @Field(() => Float, { description: 'Hours on call in [from, to) on any schedule (overlapping shifts of several schedules counted once); the filter does not apply.' })
  onCallHours!: number;
}
