import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CauseCategory } from './cause-category.entity';
import { ComponentImpact, DetectionSource, MitigationStatus, ReviewDocument, ReviewEditAction, ReviewSection, CauseKind } from './enums';
import { ConnectionType } from './connection';
import { Task } from './task.entity';

@ObjectType({ description: 'How and when the incident was detected; the timings are computed on every read from the incident, its alerts and impactStartedAt.' })
export class ReviewDetection {
  @Field(() => DetectionSource, { nullable: true, description: 'Monitoring, internal, customer or provider; null until set.' })
  source!: DetectionSource | null;

  @Field(() => Date, { nullable: true, description: 'When the impact began, as the author set it (UTC); null until set.' })
  impactStartedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The author's notes on detection." })
  notes!: string | null;

  @Field(() => Date, { nullable: true, description: "The earliest of the incident's alerts (UTC); null when no alert opened or joined it." })
  firstAlertAt!: Date | null;

  @Field({ description: 'When we knew: the first alert, or the incident opening when earlier (UTC).' })
  detectedAt!: Date;

  @Field(() => Int, { nullable: true, description: 'Impact start → detection, in seconds; null until impactStartedAt is set.' })
  timeToDetectSeconds!: number | null;

  @Field(() => Int, { nullable: true, description: 'Detection → acknowledgement, in seconds; null if never acknowledged.' })
  timeToAcknowledgeSeconds!: number | null;

  @Field(() => Int, { nullable: true, description: 'Detection → mitigation, in seconds; null if never mitigated.' })
  timeToMitigateSeconds!: number | null;

  @Field(() => Int, { nullable: true, description: 'Detection → resolution, in seconds.' })
  timeToResolveSeconds!: number | null;
}

@ObjectType({ description: "One of the incident's mitigation steps, with its outcome." })
export class ReviewMitigationStep {
  @Field(() => ID, { description: "The mitigation step's id." })
  id!: string;

  @Field({ description: 'What was done.' })
  description!: string;

  @Field(() => MitigationStatus, { description: 'Its outcome: EFFECTIVE, NOT_EFFECTIVE, or where it stopped.' })
  outcome!: MitigationStatus;

  @Field({ description: 'Whether it was temporary (with a long-term fix task).' })
  temporary!: boolean;
}

@ObjectType({ description: 'What was done to mitigate, and what would have mitigated faster.' })
export class ReviewMitigation {
  @Field(() => String, { nullable: true, description: 'The narrative (drafted as the list of steps with their outcomes).' })
  notes!: string | null;

  @Field(() => String, { nullable: true, description: 'What would have mitigated faster.' })
  fasterMitigation!: string | null;

  @Field(() => [ReviewMitigationStep], { description: "The incident's mitigation steps, in the order they were announced." })
  steps!: ReviewMitigationStep[];
}

@ObjectType({ description: 'The root cause or a contributing factor.' })
export class ReviewCause {
  @Field(() => ID, { description: "The cause's id; a preventive task may name it." })
  id!: string;

  @Field(() => CauseKind, { description: 'ROOT or CONTRIBUTING.' })
  kind!: CauseKind;

  @Field(() => CauseCategory, { description: 'Its category (possibly archived since).' })
  category!: CauseCategory;

  @Field({ description: 'What it was.' })
  description!: string;
}

@ObjectType({ description: 'A component the incident affected, with its computed downtime.' })
export class ReviewComponentDowntime {
  serviceId!: string;

  @Field(() => ComponentImpact, { description: 'What the incident did to it (stated, else its own service by priority).' })
  impact!: ComponentImpact;

  @Field(() => Int, { nullable: true, description: 'Seconds counted as down: the impact duration for MAJOR_OUTAGE, 30 % of it for PARTIAL_OUTAGE, 0 for DEGRADED_PERFORMANCE.' })
  downtimeSeconds!: number | null;
}

@ObjectType({ description: 'Who and what the incident affected, and for how long.' })
export class ReviewImpact {
  @Field(() => String, { nullable: true, description: 'Which customers were affected.' })
  customers!: string | null;

  @Field(() => [String], { description: 'Products and interfaces affected.' })
  products!: string[];

  @Field(() => [String], { description: 'Channels affected.' })
  channels!: string[];

  @Field(() => [String], { description: 'Locations affected.' })
  locations!: string[];

  @Field(() => String, { nullable: true, description: 'The impact in words (required for approval).' })
  description!: string | null;

  @Field(() => Int, { nullable: true, description: 'Impact start (else detection) → resolution, in seconds.' })
  durationSeconds!: number | null;

  @Field(() => [ReviewComponentDowntime], { description: 'Each affected component with its downtime.' })
  components!: ReviewComponentDowntime[];
}

@ObjectType({ description: "An item of the IRF's timeline: an incident timeline event, or an entry added in the review." })
export class ReviewTimelineItem {
  @Field({ description: 'When it happened (UTC).' })
  at!: Date;

  @Field({ description: 'The timeline event kind, or REVIEW_ENTRY for an added entry.' })
  kind!: string;

  @Field({ description: 'What happened.' })
  message!: string;

  @Field({ description: 'Who did it (or added the entry).' })
  actorName!: string;

  @Field({ description: 'A key event.' })
  pinned!: boolean;

  @Field({ description: 'Noise hidden from the review (listed only with includeHidden).' })
  hidden!: boolean;

  @Field({ description: 'Added in the review afterwards rather than recorded during the incident.' })
  added!: boolean;

  @Field(() => ID, { nullable: true, description: 'The timeline event it is; null for an added entry.' })
  timelineEventId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The added entry it is (for removeEntryIds); null for a timeline event.' })
  entryId!: string | null;
}

@ObjectType({ description: 'What is done so it does not happen again.' })
export class ReviewPreventiveActions {
  @Field(() => String, { nullable: true, description: 'Notes, e.g. why no task is needed.' })
  notes!: string | null;

  @Field(() => [Task], { description: "The review's tasks and the long-term fixes of the incident's mitigation steps." })
  tasks!: Task[];
}

@ObjectType({ description: "A participant's own written review." })
export class ReviewParticipantSection {
  @Field({ description: 'Who wrote it.' })
  authorName!: string;

  @Field({ description: 'What they wrote.' })
  body!: string;

  @Field({ description: 'When it was first written (UTC).' })
  createdAt!: Date;

  @Field({ description: 'When it was last changed (UTC).' })
  updatedAt!: Date;
}

@ObjectType({ description: 'One recorded edit or lifecycle step of a review document.' })
export class ReviewEdit {
  @Field(() => ID, { description: "The edit's id." })
  id!: string;

  @Field(() => ReviewEditAction, { description: 'What it did.' })
  action!: ReviewEditAction;

  @Field(() => ReviewDocument, { description: 'IRF or RCA.' })
  document!: ReviewDocument;

  @Field(() => ReviewSection, { nullable: true, description: 'The IRF section edited; null for lifecycle steps and RCA edits.' })
  section!: ReviewSection | null;

  @Field({ description: 'Who did it.' })
  actorName!: string;

  @Field({ description: 'When (UTC).' })
  at!: Date;

  @Field(() => GraphQLJSONObject, { description: 'What changed: {field: {from, to}}.' })
  changes!: Record<string, unknown>;
}

export const ReviewEditConnection = ConnectionType('ReviewEdit', ReviewEdit);
