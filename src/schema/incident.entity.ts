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

  @Field(() => String, { nullable: true })
  description!: string | null;
}

const bigintAsNumber = { to: (value: number) => value, from: (value: string) => Number(value) };

@ObjectType({ description: 'The bridge: one record every department works from.' })
@Entity('incident')
export class Incident {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => Int, { description: 'Human number: #1, #2…' })
  @Column({ type: 'bigint', transformer: bigintAsNumber, insert: false, update: false })
  number!: number;

  @Field()
  @Column('text')
  title!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Column('uuid', { name: 'service_id' })
  serviceId!: string;

  @Field(() => Priority)
  @Column('text')
  priority!: Priority;

  @Field(() => IncidentStatus)
  @Column('text')
  status!: IncidentStatus;

  @Field(() => Resolution, { nullable: true })
  @Column('text', { nullable: true })
  resolution!: Resolution | null;

  @Field(() => IncidentSource)
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

  @Field()
  @Column('timestamptz', { name: 'opened_at' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true })
  acknowledgedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'mitigated_at', nullable: true })
  mitigatedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'reviewed_at', nullable: true })
  reviewedAt!: Date | null;

  @Field()
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  /** Read in the incident's own statement by the reads that join them (a page, or one incident); otherwise unset. */
  joinedService?: Service;
  joinedOwner?: Person | null;

  @Field(() => IncidentStage)
  get stage(): IncidentStage {
    return stageOf(this.status);
  }

  @Field(() => ImpactAssessment)
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
