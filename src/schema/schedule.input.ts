import { Field, ID, InputType, Int } from 'type-graphql';
import { RotationUnit } from './schedule.entity';

@InputType({ description: 'How long each shift of a layer lasts.' })
export class RotationInput {
  @Field(() => RotationUnit, { description: "Hours, days or weeks, on the wall clock of the schedule's time zone." })
  unit!: RotationUnit;

  @Field(() => Int, { description: 'Shift length in units; a positive integer.' })
  length!: number;
}

@InputType({ description: "A daily window of local time in the schedule's zone." })
export class DailyWindowInput {
  @Field({ description: "Local time 'HH:mm'." })
  start!: string;

  @Field({ description: "Local time 'HH:mm'; at or before start means the next day." })
  end!: string;
}

@InputType({ description: 'One rotation of people.' })
export class LayerInput {
  @Field(() => String, { nullable: true, description: 'Defaults to "Layer <n>".' })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: 'Higher covers lower; default 0.' })
  priority?: number | null;

  @Field(() => [ID], { description: 'Person ids in rotation order; at least one.' })
  participants!: string[];

  @Field(() => RotationInput, { description: 'How long each shift lasts before the next participant takes over.' })
  rotation!: RotationInput;

  @Field({ description: "Local date-time of the first handoff, without offset: '2026-03-01T09:00'." })
  start!: string;

  @Field(() => [DailyWindowInput], { nullable: true, description: 'Daily windows the layer is limited to; none means all day.' })
  restrictions?: DailyWindowInput[] | null;
}

@InputType({ description: 'A new on-call schedule.' })
export class CreateScheduleInput {
  @Field({ description: 'Display name, 1 to 200 characters.' })
  name!: string;

  @Field({ description: "IANA time zone name, e.g. 'Europe/Lisbon' or 'UTC'." })
  timeZone!: string;

  @Field(() => [LayerInput], { description: 'At least one.' })
  layers!: LayerInput[];

  @Field(() => [ID], { nullable: true, description: 'People paged after the primary, in order.' })
  backupPersonIds?: string[] | null;
}

@InputType({ description: 'Which schedule changes, and the fields that change; fields not given stay.' })
export class UpdateScheduleInput {
  @Field(() => ID, { description: "The schedule's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: '1 to 200 characters. Unchanged when not given.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'An IANA time zone name; layers keep handing off at the same local clock times. Unchanged when not given.' })
  timeZone?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the list; [] clears it.' })
  backupPersonIds?: string[] | null;
}

@InputType({ description: 'Which schedule to delete.' })
export class DeleteScheduleInput {
  @Field(() => ID, { description: "The schedule's id." })
  id!: string;
}

@InputType({ description: 'A layer to add to a schedule.' })
export class AddScheduleLayerInput {
  @Field(() => ID, { description: 'The schedule to add it to.' })
  scheduleId!: string;

  @Field(() => LayerInput, { description: 'The layer to add.' })
  layer!: LayerInput;
}

@InputType({ description: 'Which layer changes, and the fields that change; fields not given stay.' })
export class UpdateScheduleLayerInput {
  @Field(() => ID, { description: "The layer's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Unchanged when not given.' })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: 'Higher covers lower. Unchanged when not given.' })
  priority?: number | null;

  @Field(() => [ID], { nullable: true, description: 'Person ids in rotation order, at least one; replaces the list. Unchanged when not given.' })
  participants?: string[] | null;

  @Field(() => RotationInput, { nullable: true, description: 'The new shift length. Unchanged when not given.' })
  rotation?: RotationInput | null;

  @Field(() => String, { nullable: true, description: "Local date-time of the first handoff, without offset ('2026-03-01T09:00'). Unchanged when not given." })
  start?: string | null;

  @Field(() => [DailyWindowInput], { nullable: true, description: 'Replaces the windows; null or [] removes them.' })
  restrictions?: DailyWindowInput[] | null;
}

@InputType({ description: 'Which layer to remove.' })
export class RemoveScheduleLayerInput {
  @Field(() => ID, { description: "The layer's id." })
  id!: string;
}

@InputType({ description: 'Who is on call instead, and when.' })
export class CreateScheduleOverrideInput {
  @Field(() => ID, { description: 'The schedule it applies to.' })
  scheduleId!: string;

  @Field(() => ID, { description: 'Who is on call while it lasts.' })
  personId!: string;

  @Field({ description: 'When it begins (UTC), included.' })
  start!: Date;

  @Field({ description: 'When it ends (UTC), excluded; after start.' })
  end!: Date;
}

@InputType({ description: 'Which override to delete.' })
export class DeleteScheduleOverrideInput {
  @Field(() => ID, { description: "The override's id." })
  id!: string;
}
