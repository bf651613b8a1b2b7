import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A rejected webhook, kept (without secrets) so it can be replayed once the cause is fixed.' })
@Entity('dead_letter')
export class DeadLetter {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => String, { nullable: true })
  @Column('uuid', { name: 'integration_id', nullable: true })
  integrationId!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  vendor!: string | null;

  @Field()
  @Column('timestamptz', { name: 'received_at' })
  receivedAt!: Date;

  @Field(() => Int)
  @Column('int', { name: 'http_status' })
  httpStatus!: number;

  @Field({ description: 'e.g. unauthorized, bad_signature, schema_violation, malformed_body.' })
  @Column('text')
  reason!: string;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  details!: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'content_type', nullable: true })
  contentType!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Request headers, secrets removed.' })
  @Column('jsonb')
  headers!: Record<string, string>;

  @Column('text', { nullable: true })
  query!: string | null;

  @Column('bytea', { nullable: true })
  body!: Buffer | null;

  @Field(() => Int)
  @Column('int', { name: 'body_size' })
  bodySize!: number;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'replayed_at', nullable: true })
  replayedAt!: Date | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Column('jsonb', { name: 'replay_result', nullable: true })
  replayResult!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'The body as text (UTF-8), when it was kept.' })
  get bodyText(): string | null {
    return this.body ? this.body.toString('utf8') : null;
  }
}
