import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ActorType } from './enums';

@ObjectType({ description: 'Who did something: an API token (and its person), a person, an integration or the system.' })
export class ActorRef {
  @Field(() => ActorType, { description: 'What kind of actor: an API token, a person, an integration or the system (jobs, escalation).' })
  type!: ActorType;

  @Field(() => String, { nullable: true, description: "The token's, person's or integration's id; null for the system." })
  id!: string | null;

  @Field({ description: 'A name to show: the token or person name, the integration name, or what part of the system acted.' })
  name!: string;
}

/**
 * What every timeline entry (an incident's, a maintenance window's) records besides its subject and kind: when, who,
 * what happened in a line, and the facts as JSON. An entity extends it with its id, its subject column and `kind`.
 * (Decorated so type-graphql gives its fields to the types extending it; no field returns it, so it is not in the schema.)
 */
@ObjectType({ description: 'What every timeline entry records: when, who, what happened and its facts.' })
export abstract class TimelineEntry {
  @Field({ description: 'When it happened (UTC).' })
  @Column('timestamptz')
  at!: Date;

  @Column('text', { name: 'actor_type' })
  actorType!: ActorType;

  @Column('text', { name: 'actor_id', nullable: true })
  actorId!: string | null;

  @Column('text', { name: 'actor_name' })
  actorName!: string;

  @Field({ description: 'What happened, in one human-readable line.' })
  @Column('text')
  message!: string;

  @Field(() => GraphQLJSONObject, { description: 'The facts of the event by kind, e.g. {from, to} of a status change, the fields an update changed, or the reason of an extension.' })
  @Column('jsonb')
  data!: Record<string, unknown>;

  @Field(() => ActorRef, { description: 'Who did it (the system for jobs: escalation, the maintenance lifecycle).' })
  get actor(): ActorRef {
    return { type: this.actorType, id: this.actorId, name: this.actorName };
  }
}

@ObjectType({ description: 'One timestamped entry on the incident bridge.' })
@Entity('timeline_event')
export class TimelineEvent extends TimelineEntry {
  @Field(() => ID, { description: "The event's id (a UUID); pass it as Incident.timeline's `before` to page back." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => String, { description: 'The incident whose timeline this is on.' })
  @Column('uuid', { name: 'incident_id' })
  incidentId!: string;

  @Field({ description: 'e.g. INCIDENT_DECLARED, ACKNOWLEDGED, NOTE_ADDED, STATUS_UPDATE_POSTED.' })
  @Column('text')
  kind!: string;
}
