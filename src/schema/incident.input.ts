import { Field, ID, InputType, Int } from 'type-graphql';
import { Audience, IncidentSource, IncidentStatus, MitigationStatus, Priority, Resolution } from './enums';

@InputType()
export class ImpactInput {
  @Field(() => [String], { nullable: true })
  locations?: string[];

  @Field(() => [String], { nullable: true })
  channels?: string[];

  @Field(() => [String], { nullable: true })
  products?: string[];

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType()
export class DeclareIncidentInput {
  @Field()
  title!: string;

  @Field(() => ID)
  serviceId!: string;

  @Field(() => Priority)
  priority!: Priority;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => IncidentSource, { nullable: true, description: 'Defaults to INTERNAL.' })
  source?: IncidentSource | null;

  @Field(() => ImpactInput, { nullable: true })
  impact?: ImpactInput | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;
}

@InputType()
export class IncidentIdInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class ResolveIncidentInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Resolution, { nullable: true, description: 'Defaults to FIXED.' })
  resolution?: Resolution | null;
}

@InputType()
export class UpdateIncidentInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Priority, { nullable: true })
  priority?: Priority | null;

  @Field(() => ImpactInput, { nullable: true })
  impact?: ImpactInput | null;

  @Field(() => ID, { nullable: true, description: 'The commander / owner; null clears it.' })
  ownerId?: string | null;
}

@InputType()
export class AddTimelineNoteInput {
  @Field(() => ID)
  incidentId!: string;

  @Field()
  text!: string;
}

@InputType()
export class PostStatusUpdateInput {
  @Field(() => ID)
  incidentId!: string;

  @Field()
  body!: string;

  @Field(() => Audience)
  audience!: Audience;
}

@InputType()
export class LongTermFixInput {
  @Field()
  title!: string;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => Date, { nullable: true })
  dueAt?: Date | null;
}

@InputType()
export class AddMitigationStepInput {
  @Field(() => ID)
  incidentId!: string;

  @Field()
  description!: string;

  @Field(() => Boolean, { nullable: true, description: 'A temporary step requires longTermFix.' })
  temporary?: boolean | null;

  @Field(() => LongTermFixInput, { nullable: true })
  longTermFix?: LongTermFixInput | null;
}

@InputType()
export class UpdateMitigationStepInput {
  @Field(() => ID)
  id!: string;

  @Field(() => MitigationStatus)
  status!: MitigationStatus;
}

@InputType()
export class IncidentFilter {
  @Field(() => [IncidentStatus], { nullable: true })
  status?: IncidentStatus[] | null;

  @Field(() => [Priority], { nullable: true })
  priority?: Priority[] | null;

  @Field(() => [ID], { nullable: true })
  serviceId?: string[] | null;

  @Field(() => [IncidentSource], { nullable: true })
  source?: IncidentSource[] | null;

  @Field(() => Date, { nullable: true, description: 'Opened at or after this instant.' })
  openedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Opened before this instant.' })
  openedBefore?: Date | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the title.' })
  titleContains?: string | null;
}

@InputType({ description: 'Which incident changes a subscriber wants.' })
export class IncidentSubscriptionFilter {
  @Field(() => ID, { nullable: true })
  incidentId?: string | null;

  @Field(() => [IncidentStatus], { nullable: true })
  status?: IncidentStatus[] | null;

  @Field(() => [Priority], { nullable: true })
  priority?: Priority[] | null;

  @Field(() => [ID], { nullable: true })
  serviceId?: string[] | null;
}

export const TIMELINE_MAX = 200;

@InputType()
export class TimelineArgs {
  @Field(() => Int, { nullable: true })
  first?: number | null;
}
