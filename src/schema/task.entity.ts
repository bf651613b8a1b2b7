import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Priority, TaskStatus } from './enums';

@ObjectType({ description: 'Follow-up work: a long-term fix for a temporary mitigation, or a preventive action.' })
@Entity('task')
export class Task {
  @Field(() => ID, { description: "The task's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId!: string | null;

  @Field(() => ID, { nullable: true, description: "The Incident Record File (the incident's review) this task is a preventive action of; null when it has none." })
  @Column('uuid', { name: 'review_id', nullable: true })
  reviewId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The cause of the review (root cause or contributing factor) the task addresses; null when none is named.' })
  @Column('uuid', { name: 'cause_id', nullable: true })
  causeId!: string | null;

  @Field({ description: 'What is to be done, at most 500 characters.' })
  @Column('text')
  title!: string;

  @Field(() => String, { nullable: true, description: 'More about the task (at most 20,000 characters); null when none was given.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => Priority, { description: 'How urgent the task is; P3 unless set.' })
  @Column('text')
  priority!: Priority;

  @Field(() => String, { nullable: true, description: 'A link to the work elsewhere, e.g. the ticket (http or https, at most 2,000 characters); null when none.' })
  @Column('text', { name: 'external_url', nullable: true })
  externalUrl!: string | null;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it should be done by (UTC); null when no date was set.' })
  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt!: Date | null;

  @Field(() => TaskStatus, { description: 'OPEN, IN_PROGRESS, DONE or WONT_DO (with a reason).' })
  @Column('text')
  status!: TaskStatus;

  @Field(() => String, { nullable: true, description: 'Why the task will not be done (always set for WONT_DO), or a note on how it was done; null otherwise.' })
  @Column('text', { name: 'status_reason', nullable: true })
  statusReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it became DONE (UTC); null unless it is DONE.' })
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Field({ description: 'When the task was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
