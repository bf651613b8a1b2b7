import { Field, ID, InputType } from 'type-graphql';
import { MaintenanceImpact, MaintenanceKind, MaintenanceStatus, Priority } from './enums';

@InputType({ description: 'What a maintenance window is expected to do to one of its services.' })
export class ServiceImpactInput {
  @Field(() => ID, { description: 'One of the window\'s serviceIds.' })
  serviceId!: string;

  @Field(() => MaintenanceImpact, { description: 'NONE, DEGRADED, PARTIAL_OUTAGE or MAJOR_OUTAGE (which opens a linked incident when the window starts).' })
  impact!: MaintenanceImpact;
}

@InputType({ description: 'A new maintenance window; its kind (PLANNED or EMERGENCY) is derived from the notice, never given.' })
export class ScheduleMaintenanceInput {
  @Field({ description: 'One line saying what is done, 1 to 500 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Longer text (Markdown), at most 20,000 characters.' })
  description?: string | null;

  @Field(() => [ID], { description: 'The services worked on, 1 to 100; their alerts are suppressed while the window runs.' })
  serviceIds!: string[];

  @Field({ description: 'When it starts (ISO-8601); not in the past (five minutes of clock difference are allowed).' })
  startsAt!: Date;

  @Field({ description: 'When it ends (ISO-8601): after startsAt, at most 30 days later.' })
  endsAt!: Date;

  @Field(() => ID, { description: 'The team running it: it is told when the window is announced, starts, runs (hourly) and ends.' })
  teamId!: string;

  @Field(() => [ServiceImpactInput], { nullable: true, description: 'Expected impact per service; a service not listed is expected to be DEGRADED.' })
  impact?: ServiceImpactInput[] | null;

  @Field(() => Priority, { nullable: true, description: 'The priority of the incident opened when the window starts, if a service expects a MAJOR_OUTAGE; P1 when not given.' })
  incidentPriority?: Priority | null;
}

@InputType({ description: 'Which maintenance window changes (reschedules), and the fields that change; fields not given stay.' })
export class UpdateMaintenanceInput {
  @Field(() => ID, { description: "The window's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: '1 to 500 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 20,000 characters (Markdown); null clears it.' })
  description?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the services worked on (1 to 100).' })
  serviceIds?: string[] | null;

  @Field(() => Date, { nullable: true, description: 'A new start, not in the past; moving it earlier re-derives the kind from the notice given now. Not for a running window (CONFLICT).' })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'A new end, after the start.' })
  endsAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Another team to run it.' })
  teamId?: string | null;

  @Field(() => [ServiceImpactInput], { nullable: true, description: 'Replaces the expected impact per service; a service not listed is expected to be DEGRADED.' })
  impact?: ServiceImpactInput[] | null;

  @Field(() => Priority, { nullable: true, description: 'The priority of the incident opened when the window starts.' })
  incidentPriority?: Priority | null;
}

@InputType({ description: 'Which maintenance window.' })
export class MaintenanceIdInput {
  @Field(() => ID, { description: "The window's id." })
  id!: string;
}

@InputType({ description: 'A status update on a maintenance window that has not ended.' })
export class PostMaintenanceUpdateInput {
  @Field(() => ID, { description: "The window's id." })
  id!: string;

  @Field({ description: 'How the work goes, 1 to 10,000 characters; it goes on the window\'s timeline.' })
  body!: string;
}

@InputType({ description: 'A later end for a maintenance window, and why.' })
export class ExtendMaintenanceInput {
  @Field(() => ID, { description: "The window's id." })
  id!: string;

  @Field({ description: 'The new end (ISO-8601): after the current one and not in the past.' })
  newEndsAt!: Date;

  @Field({ description: 'Why it runs longer, 1 to 2,000 characters; on the timeline and in the notice.' })
  reason!: string;
}

@InputType({ description: 'Which maintenance window is called off, and why.' })
export class CancelMaintenanceInput {
  @Field(() => ID, { description: "The window's id." })
  id!: string;

  @Field({ description: 'Why, 1 to 2,000 characters; on the timeline and in the notice.' })
  reason!: string;
}

@InputType({ description: 'Which maintenance windows to list; every field given must match.' })
export class MaintenanceWindowFilter {
  @Field(() => [MaintenanceStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: MaintenanceStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Windows working on this service.' })
  serviceId?: string | null;

  @Field(() => MaintenanceKind, { nullable: true, description: 'PLANNED or EMERGENCY.' })
  kind?: MaintenanceKind | null;

  @Field(() => Date, { nullable: true, description: 'Windows still running at or after this instant (endsAt after it).' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Windows starting before this instant.' })
  to?: Date | null;
}

@InputType({ description: 'The business-day calendar maintenance notice is counted in; fields not given stay.' })
export class UpdateMaintenanceCalendarInput {
  @Field(() => String, { nullable: true, description: 'An ISO 3166 country code, optionally with a state or region (PT, DE-BY), whose public and bank holidays are not business days; null for none.' })
  region?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the extra non-business dates (YYYY-MM-DD), at most 500.' })
  extraDates?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The IANA zone whose dates are counted (e.g. Europe/Lisbon).' })
  zone?: string | null;
}
