import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
