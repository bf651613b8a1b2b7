import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Shift length units; the values are the pure resolver's (src/services/rota). */
export enum RotationUnit {
  HOURS = 'hours',
  DAYS = 'days',
  WEEKS = 'weeks',
}
registerEnumType(RotationUnit, {
  name: 'RotationUnit',
  description: 'Wall-clock units in the schedule’s time zone.',
  valuesConfig: {
    HOURS: { description: 'Hours of local time.' },
    DAYS: { description: 'Local days: a shift hands off at the same local clock time, across DST changes.' },
    WEEKS: { description: 'Local weeks of seven days.' },
  },
});

@ObjectType({ description: 'How long each shift of a layer lasts.' })
export class ScheduleRotation {
  @Field(() => RotationUnit, { description: 'Hours, days or weeks, on the wall clock of the schedule’s time zone.' })
  unit!: RotationUnit;

  @Field(() => Int, { description: 'How many units one shift lasts.' })
  length!: number;
}

@ObjectType({ description: "A daily window of local time, 'HH:mm'–'HH:mm'; an end at or before the start runs into the next day." })
export class DailyWindow {
  @Field({ description: "Local start time, 'HH:mm'." })
  start!: string;

  @Field({ description: "Local end time, 'HH:mm'; at or before start means it ends the next day." })
  end!: string;
}

@ObjectType({ description: 'One rotation of people; a higher priority covers lower layers wherever it has somebody on call.' })
@Entity('schedule_layer')
export class ScheduleLayer {
  @Field(() => ID, { description: "The layer's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'schedule_id' })
  scheduleId!: string;

  @Field({ description: 'Display name of the layer.' })
  @Column('text')
  name!: string;

  @Field(() => Int, { description: 'Where layers overlap, the higher priority covers wherever it has somebody on call (default 0).' })
  @Column('integer')
  priority!: number;

  @Field(() => Int, { description: 'Order within the schedule.' })
  @Column('integer')
  position!: number;

  @Column('text', { name: 'rotation_unit' })
  rotationUnit!: RotationUnit;

  @Column('integer', { name: 'rotation_length' })
  rotationLength!: number;

  @Field({ description: "Local date-time of the first handoff in the schedule's zone, without offset ('2026-03-01T09:00')." })
  @Column('text', { name: 'start_local' })
  start!: string;

  @Field(() => [DailyWindow], { description: 'When not empty, the layer covers nobody outside these daily windows.' })
  @Column('jsonb')
  restrictions!: DailyWindow[];

  @Field({ description: 'When the layer was added (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  /** Person ids in rotation order (table schedule_layer_participant); filled in by ScheduleStore. */
  participantIds!: string[];

  @Field(() => ScheduleRotation, { description: 'How long each shift lasts before the next participant takes over.' })
  get rotation(): ScheduleRotation {
    return { unit: this.rotationUnit, length: this.rotationLength };
  }
}

@ObjectType({ description: 'A named on-call rota in one IANA time zone.' })
@Entity('schedule')
export class Schedule {
  @Field(() => ID, { description: "The schedule's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Display name, at most 200 characters.' })
  @Column('text')
  name!: string;

  @Field({ description: 'IANA time zone name; layers hand off by its wall clock.' })
  @Column('text', { name: 'time_zone' })
  timeZone!: string;

  @Field({ description: 'When the schedule was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it, its layers or its backups last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  /** Filled in by ScheduleStore, ordered by position. */
  @Field(() => [ScheduleLayer], { description: 'Its layers, in position order.' })
  layers!: ScheduleLayer[];

  /** Person ids paged after the primary, in order (table schedule_backup); filled in by ScheduleStore. */
  backupPersonIds!: string[];
}

@ObjectType({ description: 'Somebody on call from start to end instead of what the layers say; where overrides overlap the newest wins.' })
@Entity('schedule_override')
export class ScheduleOverride {
  @Field(() => ID, { description: "The override's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'schedule_id' })
  scheduleId!: string;

  @Column('uuid', { name: 'person_id' })
  personId!: string;

  @Field({ description: 'When the override begins (UTC), included.' })
  @Column('timestamptz', { name: 'starts_at' })
  start!: Date;

  @Field({ description: 'When it ends (UTC), excluded.' })
  @Column('timestamptz', { name: 'ends_at' })
  end!: Date;

  @Field({ description: 'When it was created (UTC); where overrides overlap, the newest wins.' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

@ObjectType({ description: 'A stretch of the resolved timeline with one person on call.' })
export class ScheduleShift {
  personId!: string;
  layerId!: string | null;
  overrideId!: string | null;

  @Field({ description: 'When the shift begins (UTC), included; clipped to the range asked for.' })
  start!: Date;

  @Field({ description: 'When it ends (UTC), excluded; clipped to the range asked for.' })
  end!: Date;

  @Field(() => ScheduleLayer, { nullable: true, description: 'The layer the shift comes from; null when an override.' })
  layer!: ScheduleLayer | null;

  @Field(() => ScheduleOverride, { name: 'override', nullable: true, description: 'The override the shift comes from; null when a layer.' })
  scheduleOverride!: ScheduleOverride | null;
}

@ObjectType({ description: 'A stretch with nobody on call.' })
export class ScheduleGap {
  @Field({ description: 'When nobody is on call from (UTC), included.' })
  start!: Date;

  @Field({ description: 'Until when (UTC), excluded.' })
  end!: Date;
}

@ObjectType({ description: 'The final on-call timeline of a schedule in [from, to).' })
export class ScheduleTimeline {
  @Field({ description: 'Start of the range resolved (UTC), included.' })
  from!: Date;

  @Field({ description: 'End of the range resolved (UTC), excluded.' })
  to!: Date;

  @Field(() => [ScheduleShift], { description: 'In time order; adjacent pieces of the same person and source are merged.' })
  shifts!: ScheduleShift[];

  @Field(() => [ScheduleGap], { description: 'Where nobody is on call.' })
  gaps!: ScheduleGap[];
}

@ObjectType({ description: 'Something about a schedule that needs attention.' })
export class ScheduleWarning {
  @Field({ description: 'COVERAGE_GAP: nobody is on call from start to end.' })
  code!: string;

  @Field({ description: 'What needs attention, in one human-readable line.' })
  message!: string;

  @Field({ description: 'When the problem begins (UTC).' })
  start!: Date;

  @Field({ description: 'When it ends (UTC).' })
  end!: Date;
}
