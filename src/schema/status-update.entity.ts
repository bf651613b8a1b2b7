import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Audience, IncidentStatus } from './enums';

@ObjectType({ description: 'Text posted on an incident for an audience.' })
@Entity('status_update')
export class StatusUpdate {
  @Field(() => ID, { description: "The status update's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId!: string;

  @Field({ description: 'The text posted, at most 10,000 characters.' })
  @Column('text')
  body!: string;

  @Field(() => Audience, { description: 'INTERNAL (responders and the organisation) or PUBLIC (the status page and customers).' })
  @Column('text')
  audience!: Audience;

  @Field({ description: 'The name of the token or person who posted it.' })
  @Column('text', { name: 'author_name' })
  authorName!: string;

  /** The incident's status when it was posted: the public history shows investigating → identified → resolved. */
  @Column('text', { name: 'incident_status', nullable: true })
  incidentStatus!: IncidentStatus | null;

  @Field({ description: 'When it was posted (UTC).' })
  @Column('timestamptz', { name: 'posted_at' })
  postedAt!: Date;
}
