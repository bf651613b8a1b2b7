import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ActorType, MaintenanceImpact, Priority } from './enums';
import { ActorRef } from './timeline-event.entity';

/** One service a rule's windows work on, as stored on the rule. */
export interface RecurrenceServiceImpact {
  serviceId: string;
  impact: MaintenanceImpact;
}

@ObjectType({
  description:
    'A weekly maintenance rule (patch nights): the job creates its occurrences within the next horizonDays as ordinary maintenance windows, announced by whoever created the rule. Editing or deactivating it changes only occurrences not yet created; windows already created stay as they are (change them one by one).',
})
@Entity('maintenance_recurrence')
export class MaintenanceRecurrence {
  @Field(() => ID, { description: "The rule's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'The title each window gets, 1 to 500 characters.' })
  @Column('text')
  title!: string;

  @Field(() => String, { nullable: true, description: 'The description (Markdown) each window gets; null when none.' })
  @Column('text', { nullable: true })
  description!: string | null;

  /** [{serviceId, impact}], sorted by service. */
  @Column('jsonb')
  services!: RecurrenceServiceImpact[];

  @Column('uuid', { name: 'team_id', nullable: true })
  teamId!: string | null;

  @Field(() => Priority, { description: 'The priority of the incident each window opens when it starts, if a service expects a MAJOR_OUTAGE.' })
  @Column('text', { name: 'incident_priority' })
  incidentPriority!: Priority;

  @Field(() => [Int], { description: 'The days of the week it recurs on, in `zone`: 1 (Monday) to 7 (Sunday), ascending.' })
  @Column('smallint', { array: true })
  weekdays!: number[];

  @Field({ description: "The local start time of each occurrence in `zone`, 'HH:mm' (a 22:00 window stays at 22:00 across DST changes)." })
  @Column('text', { name: 'start_time' })
  startTime!: string;

  @Field(() => Int, { description: 'How long each occurrence lasts, in minutes (1 to 1440).' })
  @Column('int', { name: 'duration_minutes' })
  durationMinutes!: number;

  @Field({ description: 'The IANA time zone the weekdays and startTime are in (e.g. Europe/Lisbon).' })
  @Column('text')
  zone!: string;

  @Field(() => Int, { description: 'How many days ahead occurrences are created as windows (1 to 90).' })
  @Column('int', { name: 'horizon_days' })
  horizonDays!: number;

  @Field({ description: 'Whether the job still creates occurrences; an inactive rule creates none, and its windows stay.' })
  @Column('boolean')
  active!: boolean;

  @Field(() => Date, { nullable: true, description: 'The start of the latest occurrence created (UTC); a changed pattern applies to occurrences after it. Null before the first.' })
  @Column('timestamptz', { name: 'materialised_through', nullable: true })
  materialisedThrough!: Date | null;

  @Column('text', { name: 'created_by_type' })
  createdByType!: ActorType;

  @Column('text', { name: 'created_by_id', nullable: true })
  createdById!: string | null;

  @Column('text', { name: 'created_by_name' })
  createdByName!: string;

  @Field({ description: 'When the rule was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When the rule last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Field(() => ActorRef, { description: "Who created the rule: the windows it creates are announced in this actor's name." })
  get createdBy(): ActorRef {
    return { type: this.createdByType, id: this.createdById, name: this.createdByName };
  }
}
