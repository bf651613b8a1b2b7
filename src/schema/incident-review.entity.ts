import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DetectionSource, ReviewOrigin, ReviewStatus } from './enums';

/** The Incident Record File. Its sections are columns; the nested GraphQL sections are resolved from them and the incident. */
@ObjectType({ description: "An incident's Incident Record File (IRF): the post-incident review, drafted from what the incident recorded, then edited and approved." })
@Entity('incident_review')
export class IncidentReview {
  @Field(() => ID, { description: "The review's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId!: string;

  @Field(() => ReviewStatus, { description: 'DRAFT → IN_REVIEW → APPROVED; an approved IRF is read-only until reopened.' })
  @Column('text')
  status!: ReviewStatus;

  @Field(() => ReviewOrigin, { description: 'INTERNAL (an RCA is due) or EXTERNAL (a provider: the approved IRF is due).' })
  @Column('text')
  origin!: ReviewOrigin;

  @Field(() => Int, { description: 'Bumped by every edit; pass it to updateReviewSection to refuse edits made on a stale copy.' })
  @Column('integer')
  revision!: number;

  @Field(() => String, { nullable: true, description: 'What happened, in short; null until written.' })
  @Column('text', { nullable: true })
  summary!: string | null;

  @Column('text', { name: 'detection_source', nullable: true })
  detectionSource!: DetectionSource | null;

  @Column('timestamptz', { name: 'impact_started_at', nullable: true })
  impactStartedAt!: Date | null;

  @Column('text', { name: 'detection_notes', nullable: true })
  detectionNotes!: string | null;

  @Column('text', { name: 'mitigation_notes', nullable: true })
  mitigationNotes!: string | null;

  @Column('text', { name: 'faster_mitigation', nullable: true })
  fasterMitigation!: string | null;

  @Column('text', { name: 'impact_customers', nullable: true })
  impactCustomers!: string | null;

  @Column('text', { name: 'impact_products', array: true })
  impactProducts!: string[];

  @Column('text', { name: 'impact_channels', array: true })
  impactChannels!: string[];

  @Column('text', { name: 'impact_locations', array: true })
  impactLocations!: string[];

  @Column('text', { name: 'impact_description', nullable: true })
  impactDescription!: string | null;

  @Column('text', { name: 'preventive_notes', nullable: true })
  preventiveNotes!: string | null;

  @Field(() => String, { nullable: true, description: 'What went well, what went wrong, where we were lucky; null until written.' })
  @Column('text', { nullable: true })
  lessons!: string | null;

  @Field({ description: 'When it was opened (UTC).' })
  @Column('timestamptz', { name: 'opened_at' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last submitted for review (UTC); null if never.' })
  @Column('timestamptz', { name: 'submitted_at', nullable: true })
  submittedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was approved (UTC); null unless APPROVED.' })
  @Column('timestamptz', { name: 'approved_at', nullable: true })
  approvedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who approved it; null unless APPROVED.' })
  @Column('text', { name: 'approved_by_name', nullable: true })
  approvedByName!: string | null;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
