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
