import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ActorType, MaintenanceImpact, MaintenanceKind, MaintenanceStatus, MaintenanceWarning, Priority } from './enums';
import { ActorRef, TimelineEntry } from './timeline-event.entity';

@ObjectType({ description: 'The business-day calendar maintenance notice is counted in: weekends, the holidays of a region, extra dates, in one zone.' })
export class MaintenanceCalendar {
  @Field(() => String, { nullable: true, description: 'Whose public and bank holidays count: an ISO 3166 country code, optionally with a state or region (PT, DE-BY); null for weekends and extra dates only.' })
  region!: string | null;

  @Field(() => [String], { description: 'Further non-business dates (YYYY-MM-DD), e.g. a company shutdown.' })
  extraDates!: string[];

  @Field({ description: 'The IANA zone whose calendar dates are counted (e.g. Europe/Lisbon).' })
  zone!: string;
}

@ObjectType({ description: 'A scheduled period of work on services: alerts of its services are suppressed while it runs, its team is told when it starts, hourly and when it ends.' })
@Entity('maintenance_window')
export class MaintenanceWindow {
  @Field(() => ID, { description: "The window's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'One line saying what is done, 1 to 500 characters.' })
  @Column('text')
  title!: string;

  @Field(() => String, { nullable: true, description: 'Longer text (Markdown), at most 20,000 characters; null when none was given.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Column('uuid', { name: 'team_id', nullable: true })
  teamId!: string | null;

  @Field(() => MaintenanceStatus, { description: 'SCHEDULED → IN_PROGRESS → COMPLETED, or CANCELLED before it completes.' })
  @Column('text')
  status!: MaintenanceStatus;

  @Field(() => MaintenanceKind, { description: 'PLANNED or EMERGENCY, derived from the notice given for its current dates with `calendar`; re-derived when it is rescheduled.' })
  @Column('text')
  kind!: MaintenanceKind;

  @Field(() => MaintenanceCalendar, { description: 'The calendar `kind` was derived with, kept so that a later calendar change does not reclassify the window.' })
  @Column('jsonb')
  calendar!: MaintenanceCalendar;

  @Field(() => Int, { description: 'Business days of notice given for the current dates, counted up to 10 (more shows as 10).' })
  @Column('int', { name: 'notice_business_days' })
  noticeBusinessDays!: number;

  @Field({ description: 'When notice of the current dates was given: the announcement, or the reschedule that moved the window earlier (UTC).' })
  @Column('timestamptz', { name: 'notice_given_at' })
  noticeGivenAt!: Date;

  @Field(() => [MaintenanceWarning], { description: 'Worth a second look, not refused: OUTSIDE_OFF_PEAK when it runs outside the off-peak hours of one of its services.' })
  @Column('text', { array: true })
  warnings!: MaintenanceWarning[];

  @Field({ description: 'When it starts (UTC): the job moves it to IN_PROGRESS then, unless started early by hand.' })
  @Column('timestamptz', { name: 'starts_at' })
  startsAt!: Date;

  @Field({ description: 'When it ends (UTC): the job completes it then, unless it was extended.' })
  @Column('timestamptz', { name: 'ends_at' })
  endsAt!: Date;

  @Field({ description: 'When it was announced (scheduled) (UTC).' })
  @Column('timestamptz', { name: 'announced_at' })
  announcedAt!: Date;

  @Column('text', { name: 'announced_by_type' })
  announcedByType!: ActorType;

  @Column('text', { name: 'announced_by_id', nullable: true })
  announcedById!: string | null;

  @Column('text', { name: 'announced_by_name' })
  announcedByName!: string;

  @Field(() => Priority, { description: 'The priority of the incident the window opens when it starts, if any service expects a MAJOR_OUTAGE (P1 by default).' })
  @Column('text', { name: 'incident_priority' })
  incidentPriority!: Priority;

  /** The recurrence rule that created it (null when scheduled by hand, or its rule was deleted). */
  @Column('uuid', { name: 'recurrence_id', nullable: true })
  recurrenceId!: string | null;

  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it started (UTC); null until then.' })
  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it completed (UTC); null unless COMPLETED.' })
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was cancelled (UTC); null unless CANCELLED.' })
  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled; null unless CANCELLED.' })
  @Column('text', { name: 'cancel_reason', nullable: true })
  cancelReason!: string | null;

  @Field({ description: 'When the window was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Field(() => ActorRef, { description: 'Who announced (scheduled) it.' })
  get announcedBy(): ActorRef {
    return { type: this.announcedByType, id: this.announcedById, name: this.announcedByName };
  }
}

@ObjectType({ description: 'One service a maintenance window works on, and what it is expected to do to it.' })
@Entity('maintenance_window_service')
export class MaintenanceServiceImpact {
  @PrimaryColumn('uuid', { name: 'window_id' })
  windowId!: string;

  @Field(() => ID, { description: "The service's id." })
  @PrimaryColumn('uuid', { name: 'service_id' })
  serviceId!: string;

  @Field(() => MaintenanceImpact, { description: 'NONE, DEGRADED, PARTIAL_OUTAGE or MAJOR_OUTAGE (which opens a linked incident when the window starts).' })
  @Column('text')
  impact!: MaintenanceImpact;
}

@ObjectType({ description: "One timestamped entry on a maintenance window's own timeline: scheduled, rescheduled, started, extended, overran, completed, cancelled, notices." })
@Entity('maintenance_event')
export class MaintenanceEvent extends TimelineEntry {
  @Field(() => ID, { description: "The event's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'window_id' })
  windowId!: string;

  @Field({ description: 'e.g. SCHEDULED, RESCHEDULED, KIND_CHANGED, STARTED, EXTENDED, OVERRAN, COMPLETED, CANCELLED, NOTICE_SENT, UPDATE_POSTED, COMMUNICATION_REMINDER, COMMUNICATION_ESCALATED.' })
  @Column('text')
  kind!: string;
}
