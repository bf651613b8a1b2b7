import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Vendor } from './enums';
import type { IntegrationOptions } from './integration-options';

@ObjectType({ description: 'A webhook endpoint for one vendor, feeding one service.' })
@Entity('integration')
export class Integration {
  @Field(() => ID, { description: "The integration's id (a UUID); it is the last part of webhookUrl." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Display name, at most 200 characters.' })
  @Column('text')
  name!: string;

  @Field(() => Vendor, { description: 'Which webhook format it receives.' })
  @Column('text')
  vendor!: Vendor;

  @Column('uuid', { name: 'service_id' })
  serviceId!: string;

  @Field({ description: 'A disabled integration refuses its webhooks (403, kept as dead letters).' })
  @Column('boolean')
  enabled!: boolean;

  @Column('text', { name: 'secret_hash', select: false })
  secretHash!: string;

  @Column('text', { name: 'previous_secret_hash', nullable: true, select: false })
  previousSecretHash!: string | null;

  @Field(() => Date, { nullable: true, description: 'Until when the secret before the last rotation is still accepted.' })
  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt!: Date | null;

  /** The vendor's own credential, e.g. Twilio's auth token for signature checks. Never returned by the API. */
  @Column('text', { name: 'vendor_credential', nullable: true, select: false })
  vendorCredential!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'severityMap, vendorSeverityMap, autoResolve, sapFieldMap, rateLimitPerMinute, emailDedupPattern, statusFeed (STATUS_FEED: url, format, pollIntervalSeconds, resolveWhenGone).' })
  @Column('jsonb')
  options!: IntegrationOptions;

  @Field({ description: 'When the integration was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was last called, whatever the outcome (unauthorized calls aside), to the second and up to a second or so late; null when never.',
  })
  @Column('timestamptz', { name: 'last_delivery_at', nullable: true })
  lastDeliveryAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'How often a delivery is expected, in seconds: longer without one makes it `silent`; null: never silent.' })
  @Column('integer', { name: 'expected_delivery_interval_seconds', nullable: true })
  expectedDeliveryIntervalSeconds!: number | null;
}
