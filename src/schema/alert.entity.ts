import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AlertSeverity, AlertStatus } from './enums';

@ObjectType({ description: 'One deduplicated alert: repeats of it raise `occurrences`.' })
@Entity('alert')
export class Alert {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'integration_id' })
  integrationId!: string;

  @Column('uuid', { name: 'service_id' })
  serviceId!: string;

  @Field()
  @Column('text')
  fingerprint!: string;

  @Field()
  @Column('text', { name: 'group_key' })
  groupKey!: string;

  @Field(() => AlertStatus)
  @Column('text')
  status!: AlertStatus;

  @Field(() => AlertSeverity)
  @Column('text')
  severity!: AlertSeverity;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'vendor_severity', nullable: true })
  vendorSeverity!: string | null;

  @Field()
  @Column('text')
  kind!: string;

  @Field()
  @Column('text')
  summary!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  source!: string | null;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  labels!: Record<string, string>;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  annotations!: Record<string, string>;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  url!: string | null;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  details!: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId!: string | null;

  @Field({ description: 'Recorded during a maintenance window; paged no one.' })
  @Column('boolean')
  suppressed!: boolean;

  @Field(() => Int)
  @Column('int')
  occurrences!: number;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'starts_at', nullable: true })
  startsAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'ends_at', nullable: true })
  endsAt!: Date | null;

  @Field()
  @Column('timestamptz', { name: 'first_seen_at' })
  firstSeenAt!: Date;

  @Field()
  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;
}
