import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'One weekly interval of local wall-clock time; an end at or before the start runs past midnight.' })
export class OffPeakInterval {
  @Field(() => Int, { description: 'The day it starts: 1 (Monday) to 7 (Sunday).' })
  day!: number;

  @Field({ description: 'Local start time, HH:mm.' })
  start!: string;

  @Field({ description: 'Local end time, HH:mm (24:00 for midnight).' })
  end!: string;
}

@ObjectType({ description: 'When a service is quiet enough for maintenance: weekly intervals in its zone.' })
export class OffPeakHours {
  @Field({ description: 'The IANA zone the intervals are in (e.g. Europe/Lisbon).' })
  zone!: string;

  @Field(() => [OffPeakInterval], { description: 'The weekly intervals; adjacent ones join.' })
  intervals!: OffPeakInterval[];
}

@ObjectType({ description: 'Something users depend on; incidents are opened against a service.' })
@Entity('service')
export class Service {
  @Field(() => ID, { description: "The service's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Display name, at most 200 characters.' })
  @Column('text')
  name!: string;

  @Field({ description: 'Unique short name in URLs: lower-case letters and digits separated by single hyphens, at most 100 characters.' })
  @Column('text')
  slug!: string;

  @Field(() => String, { nullable: true, description: 'What the service is; null when none was given.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field({ description: 'Shown on the public status page.' })
  @Column('boolean')
  public!: boolean;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId!: string | null;

  @Field(() => OffPeakHours, { nullable: true, description: 'When maintenance should run; a window outside them carries the OUTSIDE_OFF_PEAK warning. Null when none were declared.' })
  @Column('jsonb', { name: 'off_peak_hours', nullable: true })
  offPeakHours!: OffPeakHours | null;

  @Column('uuid', { name: 'escalation_policy_id', nullable: true })
  escalationPolicyId!: string | null;

  @Field({ description: 'When the service was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
