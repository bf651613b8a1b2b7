import { Field, ID, InputType, Int } from 'type-graphql';
import { Role } from './enums';

@InputType({ description: 'One weekly interval of local wall-clock time; an end at or before the start runs past midnight.' })
export class OffPeakIntervalInput {
  @Field(() => Int, { description: 'The day it starts: 1 (Monday) to 7 (Sunday).' })
  day!: number;

  @Field({ description: 'Local start time, HH:mm (00:00 to 23:59).' })
  start!: string;

  @Field({ description: 'Local end time, HH:mm (24:00 for midnight).' })
  end!: string;
}

@InputType({ description: 'When a service is quiet enough for maintenance.' })
export class OffPeakHoursInput {
  @Field({ description: 'An IANA zone (e.g. Europe/Lisbon).' })
  zone!: string;

  @Field(() => [OffPeakIntervalInput], { description: '1 to 50 weekly intervals.' })
  intervals!: OffPeakIntervalInput[];
}

@InputType({ description: 'A new service.' })
export class CreateServiceInput {
  @Field({ description: 'Display name, 1 to 200 characters.' })
  name!: string;

  @Field({ description: 'Unique short name: lower-case letters and digits separated by single hyphens, at most 100 characters (e.g. sms-gateway).' })
  slug!: string;

  @Field(() => String, { nullable: true, description: 'What the service is, at most 5,000 characters.' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Shown on the public status page; false when not given.' })
  public?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'The person responsible for the service; nobody when not given.' })
  ownerId?: string | null;

  @Field(() => OffPeakHoursInput, { nullable: true, description: 'When maintenance should run; none when not given.' })
  offPeakHours?: OffPeakHoursInput | null;
}

@InputType({ description: 'Which service changes, and the fields that change; fields not given stay.' })
export class UpdateServiceInput {
  @Field(() => ID, { description: "The service's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: '1 to 200 characters.' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'Lower-case letters and digits separated by single hyphens, at most 100 characters; must stay unique.' })
  slug?: string;

  @Field(() => String, { nullable: true, description: 'At most 5,000 characters; null clears it.' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Shown on the public status page.' })
  public?: boolean;

  @Field(() => ID, { nullable: true, description: 'The person responsible; null clears it.' })
  ownerId?: string | null;

  @Field(() => OffPeakHoursInput, { nullable: true, description: 'When maintenance should run; null clears them.' })
  offPeakHours?: OffPeakHoursInput | null;
}

@InputType({ description: "When a person works, in their own time zone." })
export class WorkingHoursInput {
  @Field(() => [Int], { description: 'The days they work: 1 (Monday) to 7 (Sunday); none for someone who is never at work (every page interrupts).' })
  days!: number[];

  @Field({ description: 'Local start time, HH:mm, 00:00 to 23:59.' })
  start!: string;

  @Field({ description: 'Local end time, HH:mm, 00:00 to 24:00; at or before the start, the working day runs past midnight.' })
  end!: string;

  @Field(() => String, { nullable: true, description: 'Whose public and bank holidays they have off: an ISO 3166 country, optionally with a state or region (PT, DE-BY); null or absent: none.' })
  holidayRegion?: string | null;
}

@InputType({ description: 'A new person.' })
export class CreatePersonInput {
  @Field({ description: 'Display name, 1 to 200 characters.' })
  name!: string;

  @Field({ description: 'A unique e-mail address, at most 320 characters.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'E.164, e.g. +351912345678: where SMS pages go when they have no notification rules.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'IANA zone; defaults to UTC.' })
  timeZone?: string | null;

  @Field(() => String, { nullable: true, description: 'Role in the organisation, e.g. "PM", at most 200 characters.' })
  orgRole?: string | null;

  @Field(() => WorkingHoursInput, { nullable: true, description: 'When they work, in their timeZone; defaults to Monday–Friday 09:00–18:00.' })
  workingHours?: WorkingHoursInput | null;
}

@InputType({ description: 'Which person changes, and the fields that change; fields not given stay.' })
export class UpdatePersonInput {
  @Field(() => ID, { description: "The person's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: '1 to 200 characters.' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'At most 320 characters; must stay unique.' })
  email?: string;

  @Field(() => String, { nullable: true, description: 'E.164, e.g. +351912345678; null clears it.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'An IANA time zone name, e.g. Europe/Lisbon.' })
  timeZone?: string;

  @Field(() => String, { nullable: true, description: 'At most 200 characters; null clears it.' })
  orgRole?: string | null;

  @Field(() => WorkingHoursInput, { nullable: true, description: 'When they work, in their timeZone.' })
  workingHours?: WorkingHoursInput;
}

@InputType({ description: 'A new API token.' })
export class CreateApiTokenInput {
  @Field({ description: 'What the token is for, 1 to 200 characters.' })
  name!: string;

  @Field(() => Role, { description: 'What it may do: VIEWER < RESPONDER < ANALYST < ADMIN.' })
  role!: Role;

  @Field(() => ID, { nullable: true, description: 'The person the token acts for (their own contact methods, their name on the timeline); none when not given.' })
  personId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the token stops working; must be in the future. Default: never.' })
  expiresAt?: Date | null;
}

@InputType({ description: 'Which token to revoke.' })
export class RevokeApiTokenInput {
  @Field(() => ID, { description: "The token's id." })
  id!: string;
}

@InputType({ description: 'Changes a token; open WebSocket connections of the token are closed (4403) so they reconnect with the change.' })
export class UpdateApiTokenInput {
  @Field(() => ID, { description: "The token's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: '1 to 200 characters. Unchanged when not given.' })
  name?: string | null;

  @Field(() => Role, { nullable: true, description: 'The new role. Unchanged when not given.' })
  role?: Role | null;

  @Field(() => Date, { nullable: true, description: 'A future instant; null leaves it unchanged (see clearExpiry).' })
  expiresAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the token never expires.' })
  clearExpiry?: boolean | null;
}
