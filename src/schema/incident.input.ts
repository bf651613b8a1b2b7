import { Field, ID, InputType, Int } from 'type-graphql';
import { Audience, ComponentImpact, IncidentSource, IncidentStatus, MitigationStatus, Priority, Resolution } from './enums';
import { LongTermFixInput } from './task.input';

@InputType({ description: 'What an incident does to one component (a public service) of the status pages.' })
export class ComponentImpactInput {
  @Field(() => ID, { description: 'The affected service (a UUID).' })
  serviceId!: string;

  @Field(() => ComponentImpact, { description: 'DEGRADED_PERFORMANCE, PARTIAL_OUTAGE or MAJOR_OUTAGE.' })
  impact!: ComponentImpact;
}

@InputType({ description: 'The known impact; lists replace what was there.' })
export class ImpactInput {
  @Field(() => [String], { nullable: true, description: 'Affected data centers or regions: at most 50 entries of 200 characters, trimmed, empty and repeated ones dropped.' })
  locations?: string[];

  @Field(() => [String], { nullable: true, description: 'Affected channels, e.g. SMS, RCS, WhatsApp, email, voice.' })
  channels?: string[];

  @Field(() => [String], { nullable: true, description: 'Affected products or interfaces, e.g. HTTP API, SMPP, web app.' })
  products?: string[];

  @Field(() => String, { nullable: true, description: 'A short description of the known impact, at most 5,000 characters; null clears it.' })
  description?: string | null;
}

@InputType({ description: 'A new incident.' })
export class DeclareIncidentInput {
  @Field({ description: 'One line saying what is disrupted, 1 to 500 characters.' })
  title!: string;

  @Field(() => ID, { description: 'The service disrupted; its escalation policy pages.' })
  serviceId!: string;

  @Field(() => Priority, { description: 'P1 (the highest) to P4.' })
  priority!: Priority;

  @Field(() => String, { nullable: true, description: 'Longer text, at most 20,000 characters.' })
  description?: string | null;

  @Field(() => IncidentSource, { nullable: true, description: 'Defaults to INTERNAL.' })
  source?: IncidentSource | null;

  @Field(() => ImpactInput, { nullable: true, description: 'The first impact assessment; empty when not given.' })
  impact?: ImpactInput | null;

  @Field(() => ID, { nullable: true, description: 'The incident commander (a person id); none when not given.' })
  ownerId?: string | null;

  @Field(() => [ComponentImpactInput], { nullable: true, description: 'What it does to each component (public service) of the status pages it affects, at most 50, one per service; without any, it affects its own service by priority (P1 MAJOR_OUTAGE, P2 PARTIAL_OUTAGE, P3-P4 DEGRADED_PERFORMANCE).' })
  componentImpacts?: ComponentImpactInput[] | null;
}

@InputType({ description: 'Which incident.' })
export class IncidentIdInput {
  @Field(() => ID, { description: "The incident's id." })
  id!: string;
}

@InputType({ description: 'Which incident is resolved, and how.' })
export class ResolveIncidentInput {
  @Field(() => ID, { description: "The incident's id." })
  id!: string;

  @Field(() => Resolution, { nullable: true, description: 'Defaults to FIXED.' })
  resolution?: Resolution | null;
}

@InputType({ description: 'Which incident changes, and the fields that change; fields not given stay.' })
export class UpdateIncidentInput {
  @Field(() => ID, { description: "The incident's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: '1 to 500 characters. Unchanged when not given.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 20,000 characters; null clears it. Unchanged when not given.' })
  description?: string | null;

  @Field(() => Priority, { nullable: true, description: 'P1 (the highest) to P4. Unchanged when not given.' })
  priority?: Priority | null;

  @Field(() => ImpactInput, { nullable: true, description: 'Each list given replaces its list, and description replaces the impact description; the rest stay.' })
  impact?: ImpactInput | null;

  @Field(() => ID, { nullable: true, description: 'The commander / owner; null clears it.' })
  ownerId?: string | null;

  @Field(() => [ComponentImpactInput], { nullable: true, description: 'Replaces what it does to each component it affects (at most 50, one per service); an empty list or null goes back to its own service by priority. Unchanged when not given.' })
  componentImpacts?: ComponentImpactInput[] | null;
}

@InputType({ description: "A note for an incident's timeline." })
export class AddTimelineNoteInput {
  @Field(() => ID, { description: 'The incident to note on.' })
  incidentId!: string;

  @Field({ description: 'The note, 1 to 10,000 characters.' })
  text!: string;
}

@InputType({ description: 'A status update for an incident.' })
export class PostStatusUpdateInput {
  @Field(() => ID, { description: 'The incident the update is about.' })
  incidentId!: string;

  @Field({ description: 'The text, 1 to 10,000 characters.' })
  body!: string;

  @Field(() => Audience, { description: 'INTERNAL (responders and the organisation) or PUBLIC (the status page and customers).' })
  audience!: Audience;
}

@InputType({ description: 'A mitigation step to announce.' })
export class AddMitigationStepInput {
  @Field(() => ID, { description: 'The incident the step mitigates.' })
  incidentId!: string;

  @Field({ description: 'What will be done, 1 to 2,000 characters.' })
  description!: string;

  @Field(() => Boolean, { nullable: true, description: 'A temporary step requires longTermFix.' })
  temporary?: boolean | null;

  @Field(() => LongTermFixInput, { nullable: true, description: 'The long-term fix, created as a task linked to the step; required when temporary.' })
  longTermFix?: LongTermFixInput | null;
}

@InputType({ description: 'Which step moves on, and to what.' })
export class UpdateMitigationStepInput {
  @Field(() => ID, { description: "The mitigation step's id." })
  id!: string;

  @Field(() => MitigationStatus, { description: 'The new status: from PLANNED to IN_PROGRESS, EFFECTIVE or NOT_EFFECTIVE; from IN_PROGRESS to EFFECTIVE or NOT_EFFECTIVE.' })
  status!: MitigationStatus;
}

@InputType({ description: 'Narrows an incident list: each field given must match (a list matches any of its values).' })
export class IncidentFilter {
  @Field(() => [IncidentStatus], { nullable: true, description: 'Incidents in any of these statuses.' })
  status?: IncidentStatus[] | null;

  @Field(() => [Priority], { nullable: true, description: 'Incidents of any of these priorities.' })
  priority?: Priority[] | null;

  @Field(() => [ID], { nullable: true, description: 'Incidents of any of these services; a malformed id is BAD_USER_INPUT.' })
  serviceId?: string[] | null;

  @Field(() => [IncidentSource], { nullable: true, description: 'Incidents started in any of these ways.' })
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
  @Field(() => ID, { nullable: true, description: 'Only changes to this incident.' })
  incidentId?: string | null;

  @Field(() => [IncidentStatus], { nullable: true, description: 'Only incidents now in any of these statuses.' })
  status?: IncidentStatus[] | null;

  @Field(() => [Priority], { nullable: true, description: 'Only incidents now of any of these priorities.' })
  priority?: Priority[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only incidents of any of these services.' })
  serviceId?: string[] | null;
}

export const TIMELINE_MAX = 200;

@InputType()
export class TimelineArgs {
  @Field(() => Int, { nullable: true })
  first?: number | null;
}
