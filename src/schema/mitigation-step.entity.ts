import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MitigationStatus } from './enums';

@ObjectType({ description: 'An action announced before it runs, then monitored.' })
@Entity('mitigation_step')
export class MitigationStep {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId!: string;

  @Field()
  @Column('text')
  description!: string;

  @Field(() => MitigationStatus)
  @Column('text')
  status!: MitigationStatus;

  @Field({ description: 'A temporary step requires a long-term fix task.' })
  @Column('boolean')
  temporary!: boolean;

  @Column('uuid', { name: 'long_term_fix_task_id', nullable: true })
  longTermFixTaskId!: string | null;

  @Field()
  @Column('timestamptz', { name: 'announced_at' })
  announcedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Field()
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
