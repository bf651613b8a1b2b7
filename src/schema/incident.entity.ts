import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IncidentSource, IncidentStage, IncidentStatus, Priority, Resolution } from './enums';
import type { Person } from './person.entity';
import type { Service } from './service.entity';

@ObjectType({ description: 'What is known of the impact, first assessed when the incident opens.' })
export class ImpactAssessment {
  @Field(() => [String], { description: 'Data centers or regions.' })
  locations!: string[];

  @Field(() => [String], { description: 'Channels, e.g. SMS, RCS, WhatsApp, email, voice.' })
  channels!: string[];

  @Field(() => [String], { description: 'Products or interfaces, e.g. HTTP API, SMPP, web app.' })
  products!: string[];

  @Field(() => String, { nullable: true, description: 'A short description of the known impact; null until someone writes one.' })
  description!: string | null;
}

const bigintAsNumber = { to: (value: number) => value, from: (value: string) => Number(value) };

@ObjectType({ description: 'The bridge: one record every department works from.' })
@Entity('incident')
export class Incident {
  @Field(() => ID, { description: "The incident's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => Int, { description: 'Human number: #1, #2…' })
  @Column({ type: 'bigint', transformer: bigintAsNumber, insert: false, update: false })
  number!: number;

  @Field({ description: 'One line saying what is disrupted, at most 500 characters.' })
  @Column('text')
  title!: string;

  @Field(() => String, { nullable: true, description: 'Longer text, at most 20,000 characters; null when none was given.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Column('uuid', { name: 'service_id' })
  serviceId!: string;

  @Field(() => Priority, { description: 'P1 (the highest) to P4; by hand, or from the alerts (which can raise it while the incident is open).' })
  @Column('text')
  priority!: Priority;

  @Field(() => IncidentStatus, { description: 'Where it is in its lifecycle: TRIGGERED → ACKNOWLEDGED → MITIGATED → RESOLVED → REVIEWED.' })
  @Column('text')
  status!: IncidentStatus;

  @Field(() => Resolution, { nullable: true, description: 'How it was resolved (FIXED or FALSE_POSITIVE); null until it is resolved.' })
  @Column('text', { nullable: true })
  resolution!: Resolution | null;

  @Field(() => IncidentSource, { description: 'How the incident started: monitoring alerts, an internal discovery, a customer report, a provider or a maintenance.' })
  @Column('text')
  source!: IncidentSource;

  @Column('text', { name: 'impact_locations', array: true })
  impactLocations!: string[];

  @Column('text', { name: 'impact_channels', array: true })
  impactChannels!: string[];

  @Column('text', { name: 'impact_products', array: true })
  impactProducts!: string[];

  @Column('text', { name: 'impact_description', nullable: true })
  impactDescription!: string | null;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId!: string | null;

  /** Set when alerts opened the incident: further alerts of the same group attach to it while it is open. */
  @Column('uuid', { name: 'integration_id', nullable: true })
  integrationId!: string | null;

  @Column('text', { name: 'group_key', nullable: true })
  groupKey!: string | null;

  @Field({ description: 'When the incident opened (UTC).' })
  @Column('timestamptz', { name: 'opened_at' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was acknowledged (UTC); null if it never was.' })
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true })
  acknowledgedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was mitigated (UTC); null if it never was.' })
  @Column('timestamptz', { name: 'mitigated_at', nullable: true })
  mitigatedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was resolved (UTC); null while open.' })
  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When its post-incident review was done (UTC); null until then.' })
  @Column('timestamptz', { name: 'reviewed_at', nullable: true })
  reviewedAt!: Date | null;

  @Field({ description: 'When anything on the incident itself last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  /** Read in the incident's own statement by the reads that join them (a page, or one incident); otherwise unset. */
  joinedService?: Service;
  joinedOwner?: Person | null;

  @Field(() => IncidentStage, { description: 'IDENTIFICATION, INTERVENTION or REVIEW, following from the status.' })
  get stage(): IncidentStage {
    return stageOf(this.status);
  }

  @Field(() => ImpactAssessment, { description: 'Affected locations, channels and products, and a short description of the impact.' })
  get impact(): ImpactAssessment {
    return {
      locations: this.impactLocations,
      channels: this.impactChannels,
      products: this.impactProducts,
      description: this.impactDescription,
    };
  }

  @Field(() => Int, { nullable: true, description: 'Seconds from opening to acknowledgement.' })
  get timeToAcknowledgeSeconds(): number | null {
    return secondsBetween(this.openedAt, this.acknowledgedAt);
  }

  @Field(() => Int, { nullable: true, description: 'Seconds from opening to resolution.' })
  get timeToResolveSeconds(): number | null {
    return secondsBetween(this.openedAt, this.resolvedAt);
  }
}

export function stageOf(status: IncidentStatus): IncidentStage {
  switch (status) {
    case IncidentStatus.TRIGGERED:
      return IncidentStage.IDENTIFICATION;
    case IncidentStatus.ACKNOWLEDGED:
    case IncidentStatus.MITIGATED:
      return IncidentStage.INTERVENTION;
    case IncidentStatus.RESOLVED:
    case IncidentStatus.REVIEWED:
      return IncidentStage.REVIEW;
  }
}

function secondsBetween(from: Date, to: Date | null): number | null {
  return to ? Math.round((to.getTime() - from.getTime()) / 1000) : null;
}
