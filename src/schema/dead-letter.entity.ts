import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A rejected webhook, kept (without secrets) so it can be replayed once the cause is fixed.' })
@Entity('dead_letter')
export class DeadLetter {
  @Field(() => ID, { description: "The dead letter's id (a UUID); pass it to replayDeadLetter." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => String, { nullable: true, description: 'The integration the delivery was sent to; null when the URL named none that exists.' })
  @Column('uuid', { name: 'integration_id', nullable: true })
  integrationId!: string | null;

  @Field(() => String, { nullable: true, description: 'The vendor of that integration; null when there was none.' })
  @Column('text', { nullable: true })
  vendor!: string | null;

  @Field({ description: 'When the delivery arrived (UTC).' })
  @Column('timestamptz', { name: 'received_at' })
  receivedAt!: Date;

  @Field(() => Int, { description: 'The HTTP status it was answered with (4xx, e.g. 401 or 422).' })
  @Column('int', { name: 'http_status' })
  httpStatus!: number;

  @Field({ description: 'e.g. unauthorized, bad_signature, schema_violation, malformed_body.' })
  @Column('text')
  reason!: string;

  @Field(() => GraphQLJSONObject, { description: 'What exactly was wrong, e.g. the field path that did not fit the vendor schema.' })
  @Column('jsonb')
  details!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'The Content-Type header it came with; null when there was none.' })
  @Column('text', { name: 'content_type', nullable: true })
  contentType!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Request headers, secrets removed.' })
  @Column('jsonb')
  headers!: Record<string, string>;

  @Column('text', { nullable: true })
  query!: string | null;

  @Column('bytea', { nullable: true })
  body!: Buffer | null;

  @Field(() => Int, { description: 'The size of the body received, in bytes (also when the body itself was not kept).' })
  @Column('int', { name: 'body_size' })
  bodySize!: number;

  @Field(() => Date, { nullable: true, description: 'When a replay was accepted (UTC); null while none was.' })
  @Column('timestamptz', { name: 'replayed_at', nullable: true })
  replayedAt!: Date | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'What the last replay answered (status, and the alerts created or why it was refused again); null before any replay.' })
  @Column('jsonb', { name: 'replay_result', nullable: true })
  replayResult!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'The body as text (UTF-8), when it was kept.' })
  get bodyText(): string | null {
    return this.body ? this.body.toString('utf8') : null;
  }
}
