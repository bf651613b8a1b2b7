import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A named group of people (e.g. DevOps, Helpdesk); an escalation step may page all of them.' })
@Entity('team')
export class Team {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field()
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field()
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
