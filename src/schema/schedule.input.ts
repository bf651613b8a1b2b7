import { Field, ID, InputType, Int } from 'type-graphql';
import { RotationUnit } from './schedule.entity';

@InputType()
export class RotationInput {
  @Field(() => RotationUnit)
  unit!: RotationUnit;

  @Field(() => Int, { description: 'Shift length in units; a positive integer.' })
  length!: number;
}

@InputType()
export class DailyWindowInput {
  @Field({ description: "Local time 'HH:mm'." })
  start!: string;

  @Field({ description: "Local time 'HH:mm'; at or before start means the next day." })
  end!: string;
}

@InputType()
export class LayerInput {
  @Field(() => String, { nullable: true, description: 'Defaults to "Layer <n>".' })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: 'Higher covers lower; default 0.' })
  priority?: number | null;

  @Field(() => [ID], { description: 'Person ids in rotation order; at least one.' })
  participants!: string[];

  @Field(() => RotationInput)
  rotation!: RotationInput;

  @Field({ description: "Local date-time of the first handoff, without offset: '2026-03-01T09:00'." })
  start!: string;

  @Field(() => [DailyWindowInput], { nullable: true, description: 'Daily windows the layer is limited to; none means all day.' })
  restrictions?: DailyWindowInput[] | null;
}

@InputType()
export class CreateScheduleInput {
  @Field()
  name!: string;

  @Field({ description: "IANA time zone name, e.g. 'Europe/Lisbon' or 'UTC'." })
  timeZone!: string;

  @Field(() => [LayerInput], { description: 'At least one.' })
  layers!: LayerInput[];

  @Field(() => [ID], { nullable: true, description: 'People paged after the primary, in order.' })
  backupPersonIds?: string[] | null;
}

@InputType()
export class UpdateScheduleInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  timeZone?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the list; [] clears it.' })
  backupPersonIds?: string[] | null;
}

@InputType()
export class DeleteScheduleInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class AddScheduleLayerInput {
  @Field(() => ID)
  scheduleId!: string;

  @Field(() => LayerInput)
  layer!: LayerInput;
}

@InputType()
export class UpdateScheduleLayerInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int, { nullable: true })
  priority?: number | null;

  @Field(() => [ID], { nullable: true })
  participants?: string[] | null;

  @Field(() => RotationInput, { nullable: true })
  rotation?: RotationInput | null;

  @Field(() => String, { nullable: true })
  start?: string | null;

  @Field(() => [DailyWindowInput], { nullable: true, description: 'Replaces the windows; null or [] removes them.' })
  restrictions?: DailyWindowInput[] | null;
}

@InputType()
export class RemoveScheduleLayerInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class CreateScheduleOverrideInput {
  @Field(() => ID)
  scheduleId!: string;

  @Field(() => ID)
  personId!: string;

  @Field()
  start!: Date;

  @Field({ description: 'After start.' })
  end!: Date;
}

@InputType()
export class DeleteScheduleOverrideInput {
  @Field(() => ID)
  id!: string;
}
