import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: "When a person works, in their own time zone: a page at any other time interrupted them." })
export class WorkingHours {
  @Field(() => [Int], { description: 'The days they work: 1 (Monday) to 7 (Sunday).' })
  days!: number[];

  @Field({ description: 'Local start time, HH:mm.' })
  start!: string;

  @Field({ description: 'Local end time, HH:mm (24:00 for midnight); at or before the start, the day runs past midnight into the next.' })
  end!: string;

  @Field(() => String, { nullable: true, description: 'Whose public and bank holidays they have off: an ISO 3166 country, optionally with a state or region (PT, DE-BY); null: none. A working day that is such a holiday in their zone counts as a day off.' })
  holidayRegion?: string | null;
}

@ObjectType({ description: 'Someone who responds to incidents or owns a service.' })
@Entity('person')
export class Person {
  @Field(() => ID, { description: "The person's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Display name, at most 200 characters.' })
  @Column('text')
  name!: string;

  @Field({ description: 'Unique e-mail address; the page fallback when they have no phone and no notification rules.' })
  @Column('text')
  email!: string;

  @Field(() => String, { nullable: true, description: 'E.164, e.g. +351912345678' })
  @Column('text', { nullable: true })
  phone!: string | null;

  @Field({ description: 'IANA time zone name.' })
  @Column('text', { name: 'time_zone' })
  timeZone!: string;

  @Field(() => WorkingHours, { description: 'When they work, in their timeZone (default Monday–Friday 09:00–18:00); the metrics place each page to them in business, off or sleep hours by it.' })
  @Column('jsonb', { name: 'working_hours' })
  workingHours!: WorkingHours;

  @Field(() => String, { nullable: true, description: 'Role in the organisation, e.g. "PM".' })
  @Column('text', { name: 'org_role', nullable: true })
  orgRole!: string | null;

  @Field({ description: 'When the person was added (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When they last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
