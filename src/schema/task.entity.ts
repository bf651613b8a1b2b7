import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TaskStatus } from './enums';

@ObjectType({ description: 'Follow-up work: a long-term fix for a temporary mitigation, or a preventive action.' })
@Entity('task')
export class Task {
  @Field(() => ID, { description: "The task's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId!: string | null;

  @Field({ description: 'What is to be done, at most 500 characters.' })
  @Column('text')
  title!: string;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it should be done by (UTC); null when no date was set.' })
  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt!: Date | null;

  @Field(() => TaskStatus, { description: 'OPEN, IN_PROGRESS, DONE or WONT_DO (with a reason).' })
  @Column('text')
  status!: TaskStatus;

  @Field({ description: 'When the task was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
