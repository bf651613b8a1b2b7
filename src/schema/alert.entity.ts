import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AlertSeverity, AlertStatus } from './enums';

@ObjectType({ description: 'One deduplicated alert: repeats of it raise `occurrences`.' })
@Entity('alert')
export class Alert {
  @Field(() => ID, { description: "The alert's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'integration_id' })
  integrationId!: string;

  @Column('uuid', { name: 'service_id' })
  serviceId!: string;

  @Field({ description: "Identity within its integration: the vendor's own key when it has one, else a stable hash of the alert; a repeat with the same fingerprint counts as an occurrence of this alert." })
  @Column('text')
  fingerprint!: string;

  @Field({ description: 'Alerts of one integration with the same group key attach to the same open incident.' })
  @Column('text', { name: 'group_key' })
  groupKey!: string;

  @Field(() => AlertStatus, { description: 'FIRING until the vendor reports it resolved or its incident is resolved.' })
  @Column('text')
  status!: AlertStatus;

  @Field(() => AlertSeverity, { description: "Vendor-neutral severity; the integration's severity map turns it into the incident's priority." })
  @Column('text')
  severity!: AlertSeverity;

  @Field(() => String, { nullable: true, description: "The vendor's own severity text (e.g. Sev2, critical), kept for display and custom severity maps; null when the vendor sent none." })
  @Column('text', { name: 'vendor_severity', nullable: true })
  vendorSeverity!: string | null;

  @Field({ description: 'What the alert is about: ALERT (a monitoring alert), PROVIDER_INCIDENT (an outage a provider announced), DELIVERY_FAILURE (a message that could not be delivered) or INBOUND_SMS.' })
  @Column('text')
  kind!: string;

  @Field({ description: 'One line, at most 512 characters.' })
  @Column('text')
  summary!: string;

  @Field(() => String, { nullable: true, description: 'Longer text, at most 8,192 characters; null when the vendor sent none.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'Where the alert came from (a host, resource id, phone number…); null when unknown.' })
  @Column('text', { nullable: true })
  source!: string | null;

  @Field(() => GraphQLJSONObject, { description: "The vendor's labels (string values), as sent." })
  @Column('jsonb')
  labels!: Record<string, string>;

  @Field(() => GraphQLJSONObject, { description: "The vendor's annotations (string values), as sent." })
  @Column('jsonb')
  annotations!: Record<string, string>;

  @Field(() => String, { nullable: true, description: 'A link back to the vendor (generatorURL, portal link…); null when the vendor sent none.' })
  @Column('text', { nullable: true })
  url!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Facts worth keeping that fit no other field (truncated alerts, error codes…).' })
  @Column('jsonb')
  details!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'The incident the alert is attached to; null while it is unattached (for instance suppressed, or not yet attached).' })
  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId!: string | null;

  @Field({ description: 'Recorded during a maintenance window; paged no one.' })
  @Column('boolean')
  suppressed!: boolean;

  /** The maintenance window in progress when it was recorded (Alert.suppressedBy resolves it). */
  @Column('uuid', { name: 'suppressed_by', nullable: true })
  suppressedById!: string | null;

  @Field(() => Int, { description: 'How often the alert was received (1 and up); repeats raise it instead of adding alerts.' })
  @Column('int')
  occurrences!: number;

  @Field(() => Date, { nullable: true, description: 'When the vendor says the problem started (UTC); null when it did not say.' })
  @Column('timestamptz', { name: 'starts_at', nullable: true })
  startsAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the vendor says the problem ended (UTC); null while firing or when it did not say.' })
  @Column('timestamptz', { name: 'ends_at', nullable: true })
  endsAt!: Date | null;

  @Field({ description: 'When this server first received the alert (UTC); the alert list is ordered by it.' })
  @Column('timestamptz', { name: 'first_seen_at' })
  firstSeenAt!: Date;

  @Field({ description: 'When this server last received an occurrence of the alert (UTC).' })
  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the alert resolved (UTC); null while firing.' })
  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;
}
