import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A named group of people (e.g. DevOps, Helpdesk); an escalation step may page all of them.' })
@Entity('team')
export class Team {
  @Field(() => ID, { description: "The team's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Unique display name, at most 200 characters.' })
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the team does; null when none was given.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field({ description: 'When the team was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
