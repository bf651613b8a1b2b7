import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Audience } from './enums';

@ObjectType({ description: 'Text posted on an incident for an audience.' })
@Entity('status_update')
export class StatusUpdate {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId!: string;

  @Field()
  @Column('text')
  body!: string;

  @Field(() => Audience)
  @Column('text')
  audience!: Audience;

  @Field()
  @Column('text', { name: 'author_name' })
  authorName!: string;

  @Field()
  @Column('timestamptz', { name: 'posted_at' })
  postedAt!: Date;
}
