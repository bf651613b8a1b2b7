import { Field, ID, ObjectType } from 'type-graphql';
import { Schedule, ScheduleLayer, ScheduleOverride } from './schedule.entity';

@ObjectType({ description: 'The schedule as the mutation left it.' })
export class SchedulePayload {
  @Field(() => Schedule, { description: 'The schedule, after the change.' })
  schedule!: Schedule;
}

@ObjectType({ description: 'What deleteSchedule deleted.' })
export class DeleteSchedulePayload {
  @Field(() => ID, { description: 'The id of the schedule deleted.' })
  deletedScheduleId!: string;
}

@ObjectType({ description: 'The layer as the mutation left it, and its schedule.' })
export class ScheduleLayerPayload {
  @Field(() => ScheduleLayer, { description: 'The layer, after the change.' })
  layer!: ScheduleLayer;

  @Field(() => Schedule, { description: 'The schedule the layer belongs to, after the change.' })
  schedule!: Schedule;
}

@ObjectType({ description: 'The override created, and its schedule.' })
export class ScheduleOverridePayload {
  @Field(() => ScheduleOverride, { description: 'The override, as stored.' })
  scheduleOverride!: ScheduleOverride;

  @Field(() => Schedule, { description: 'The schedule the override belongs to.' })
  schedule!: Schedule;
}

@ObjectType({ description: 'What deleteScheduleOverride deleted, and the schedule it belonged to.' })
export class DeleteScheduleOverridePayload {
  @Field(() => ID, { description: 'The id of the override deleted.' })
  deletedOverrideId!: string;

  @Field(() => Schedule, { description: 'The schedule it belonged to.' })
  schedule!: Schedule;
}

/** Who is on call in a schedule from `at` on; primary, backups and schedule resolve from the ids (schedule.resolver.ts). */
@ObjectType({ description: 'Who is on call in a schedule from `at` on: sent by onCallChanged at every handoff and after every edit that changed it.' })
export class OnCallChange {
  @Field(() => ID, { description: 'The schedule whose on-call changed.' })
  scheduleId!: string;

  @Field({ description: 'When the change took effect (UTC): the handoff instant, or when the edit was made.' })
  at!: Date;

  /** Empty in a gap; at most one person. */
  primaryIds!: string[];

  backupIds!: string[];
}

/** An edit of a schedule; `schedule` resolves from the id (schedule.resolver.ts). */
@ObjectType({ description: 'A schedule, one of its layers or one of its overrides was created, changed or deleted.' })
export class ScheduleUpdate {
  @Field(() => ID, { description: 'The schedule edited.' })
  scheduleId!: string;

  @Field({ description: 'True when the edit deleted the schedule (then `schedule` is null and no more events follow).' })
  deleted!: boolean;
}
