import { Field, ID, ObjectType } from 'type-graphql';
import { Schedule, ScheduleLayer, ScheduleOverride } from './schedule.entity';

@ObjectType()
export class SchedulePayload {
  @Field(() => Schedule)
  schedule!: Schedule;
}

@ObjectType()
export class DeleteSchedulePayload {
  @Field(() => ID)
  deletedScheduleId!: string;
}

@ObjectType()
export class ScheduleLayerPayload {
  @Field(() => ScheduleLayer)
  layer!: ScheduleLayer;

  @Field(() => Schedule)
  schedule!: Schedule;
}

@ObjectType()
export class ScheduleOverridePayload {
  @Field(() => ScheduleOverride)
  scheduleOverride!: ScheduleOverride;

  @Field(() => Schedule)
  schedule!: Schedule;
}

@ObjectType()
export class DeleteScheduleOverridePayload {
  @Field(() => ID)
  deletedOverrideId!: string;

  @Field(() => Schedule)
  schedule!: Schedule;
}
