import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ActorType } from './enums';

@ObjectType({ description: 'Who did something: an API token (and its person), a person, an integration or the system.' })
export class ActorRef {
  @Field(() => ActorType)
  type!: ActorType;

  @Field(() => String, { nullable: true })
  id!: string | null;

  @Field()
  name!: string;
}

@ObjectType({ description: 'One timestamped entry on the incident bridge.' })
@Entity('timeline_event')
export class TimelineEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => String)
  @Column('uuid', { name: 'incident_id' })
  incidentId!: string;

  @Field({ description: 'e.g. INCIDENT_DECLARED, ACKNOWLEDGED, NOTE_ADDED, STATUS_UPDATE_POSTED.' })
  @Column('text')
  kind!: string;

  @Field()
  @Column('timestamptz')
  at!: Date;

  @Column('text', { name: 'actor_type' })
  actorType!: ActorType;

  @Column('text', { name: 'actor_id', nullable: true })
  actorId!: string | null;

  @Column('text', { name: 'actor_name' })
  actorName!: string;

  @Field()
  @Column('text')
  message!: string;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  data!: Record<string, unknown>;

  @Field(() => ActorRef)
  get actor(): ActorRef {
    return { type: this.actorType, id: this.actorId, name: this.actorName };
  }
}
