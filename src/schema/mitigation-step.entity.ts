import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MitigationStatus } from './enums';

@ObjectType({ description: 'An action announced before it runs, then monitored.' })
@Entity('mitigation_step')
export class MitigationStep {
  @Field(() => ID, { description: "The step's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId!: string;

  @Field({ description: 'What is done, e.g. "remove the faulty instance from the load balancer"; at most 2,000 characters.' })
  @Column('text')
  description!: string;

  @Field(() => MitigationStatus, { description: 'PLANNED when announced, then IN_PROGRESS, and finally EFFECTIVE or NOT_EFFECTIVE.' })
  @Column('text')
  status!: MitigationStatus;

  @Field({ description: 'A temporary step requires a long-term fix task.' })
  @Column('boolean')
  temporary!: boolean;

  @Column('uuid', { name: 'long_term_fix_task_id', nullable: true })
  longTermFixTaskId!: string | null;

  @Field({ description: 'When the step was announced (UTC).' })
  @Column('timestamptz', { name: 'announced_at' })
  announcedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it went IN_PROGRESS (UTC); null if it never did.' })
  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was judged EFFECTIVE or NOT_EFFECTIVE (UTC); null until then.' })
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Field({ description: 'When its status last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
