import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { RcaStatus, SectionVisibility } from './enums';

/** One section's content: what a draft holds and what a version froze. */
export interface RcaSectionContent {
  key: string;
  title: string;
  body: string;
  visibility: SectionVisibility;
}

@ObjectType({ description: 'The Root Cause Analysis of an incident of internal origin: Markdown sections, each public or internal, published as numbered versions.' })
@Entity('rca_document')
export class RcaDocument {
  @Field(() => ID, { description: "The RCA's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId!: string;

  @Column('uuid', { name: 'review_id' })
  reviewId!: string;

  /** The HMAC public id of the public view's address (PublicLinkKeys), set when generated. */
  @Column('text', { name: 'public_id', nullable: true })
  publicId!: string | null;

  @Field(() => RcaStatus, { description: 'DRAFT → IN_REVIEW → PUBLISHED; an edit after publishing starts the next version as a DRAFT.' })
  @Column('text')
  status!: RcaStatus;

  @Field({ description: 'The document title, at most 500 characters.' })
  @Column('text')
  title!: string;

  @Field(() => Int, { description: 'Bumped by every edit; pass it to updateRca to have a stale edit refused.' })
  @Column('integer')
  revision!: number;

  @Field(() => Int, { nullable: true, description: 'The number of the latest published version; null until the first publication.' })
  @Column('integer', { name: 'published_version', nullable: true })
  publishedVersion!: number | null;

  @Field({ description: 'When it was generated (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last submitted for review (UTC); null if never.' })
  @Column('timestamptz', { name: 'submitted_at', nullable: true })
  submittedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the latest version was published (UTC); null until the first publication.' })
  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt!: Date | null;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A section of an RCA: its Markdown body, rendered and sanitized, and who may read it.' })
@Entity('rca_section')
export class RcaSection implements RcaSectionContent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'rca_id' })
  rcaId!: string;

  @Field({ description: 'Stable key in kebab-case (summary, timeline, detection, root-cause, impact, mitigation, preventive-actions, lessons, or one of the authors).' })
  @Column('text')
  key!: string;

  @Field({ description: 'The heading, at most 200 characters.' })
  @Column('text')
  title!: string;

  @Field({ description: 'The content as Markdown (at most 100,000 characters).' })
  @Column('text')
  body!: string;

  @Field(() => SectionVisibility, { description: 'PUBLIC sections appear on the public RCA view once published; INTERNAL ones only to API callers and the printable view.' })
  @Column('text')
  visibility!: SectionVisibility;

  @Column('integer')
  position!: number;
}

@ObjectType({ description: 'A published version of an RCA, frozen as it was published.' })
@Entity('rca_version')
export class RcaVersion {
  @PrimaryColumn('uuid', { name: 'rca_id' })
  rcaId!: string;

  @Field(() => Int, { description: 'The version number, from 1.' })
  @PrimaryColumn('integer')
  version!: number;

  @Field({ description: 'The title as published.' })
  @Column('text')
  title!: string;

  @Field(() => [RcaSection], { description: 'The sections as published, in order.' })
  @Column('jsonb')
  sections!: RcaSectionContent[];

  @Field({ description: 'When this version was published (UTC).' })
  @Column('timestamptz', { name: 'published_at' })
  publishedAt!: Date;

  @Field({ description: 'Who published it.' })
  @Column('text', { name: 'published_by_name' })
  publishedByName!: string;
}
