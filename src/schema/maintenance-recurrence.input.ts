import { Field, ID, InputType, Int } from 'type-graphql';
import { Priority } from './enums';
import { ServiceImpactInput } from './maintenance.input';

@InputType({ description: 'A weekly maintenance rule: what each window is (as for scheduleMaintenance) and when it recurs.' })
export class CreateMaintenanceRecurrenceInput {
  @Field({ description: 'The title each window gets, 1 to 500 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'The description (Markdown) each window gets, at most 20,000 characters.' })
  description?: string | null;

  @Field(() => [ID], { description: 'The services worked on, 1 to 100.' })
  serviceIds!: string[];

  @Field(() => [ServiceImpactInput], { nullable: true, description: 'Expected impact per service; a service not listed is expected to be DEGRADED.' })
  impact?: ServiceImpactInput[] | null;

  @Field(() => ID, { description: 'The team running the windows: it is told of each as for any window.' })
  teamId!: string;

  @Field(() => Priority, { nullable: true, description: 'The priority of the incident a window opens when it starts, if a service expects a MAJOR_OUTAGE; P1 when not given.' })
  incidentPriority?: Priority | null;

  @Field(() => [Int], { description: 'The days of the week it recurs on, in `zone`: 1 (Monday) to 7 (Sunday), at least one.' })
  weekdays!: number[];

  @Field({ description: "The local start time in `zone`, 'HH:mm' (00:00 to 23:59)." })
  startTime!: string;

  @Field(() => Int, { description: 'How long each occurrence lasts, in minutes: 1 to 1440 (24 hours).' })
  durationMinutes!: number;

  @Field({ description: 'The IANA time zone of weekdays and startTime (e.g. Europe/Lisbon).' })
  zone!: string;

  @Field(() => Int, { nullable: true, description: 'How many days ahead occurrences are created as windows: 1 to 90, 28 when not given.' })
  horizonDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the job creates occurrences; true when not given.' })
  active?: boolean | null;
}

@InputType({ description: 'Which maintenance rule changes, and the fields that change; fields not given stay. Windows already created keep theirs.' })
export class UpdateMaintenanceRecurrenceInput {
  @Field(() => ID, { description: "The rule's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: '1 to 500 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 20,000 characters (Markdown); null clears it.' })
  description?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the services worked on (1 to 100).' })
  serviceIds?: string[] | null;

  @Field(() => [ServiceImpactInput], { nullable: true, description: 'Replaces the expected impact per service; a service not listed is expected to be DEGRADED.' })
  impact?: ServiceImpactInput[] | null;

  @Field(() => ID, { nullable: true, description: 'Another team to run the windows.' })
  teamId?: string | null;

  @Field(() => Priority, { nullable: true, description: 'The priority of the incident a window opens when it starts.' })
  incidentPriority?: Priority | null;

  @Field(() => [Int], { nullable: true, description: 'Replaces the days of the week, 1 (Monday) to 7 (Sunday).' })
  weekdays?: number[] | null;

  @Field(() => String, { nullable: true, description: "A new local start time, 'HH:mm'." })
  startTime?: string | null;

  @Field(() => Int, { nullable: true, description: 'A new duration in minutes, 1 to 1440.' })
  durationMinutes?: number | null;

  @Field(() => String, { nullable: true, description: 'A new IANA time zone.' })
  zone?: string | null;

  @Field(() => Int, { nullable: true, description: 'A new horizon in days, 1 to 90.' })
  horizonDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'false stops creating occurrences (those created stay); true resumes from now.' })
  active?: boolean | null;
}
