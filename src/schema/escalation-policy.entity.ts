import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EscalationTargetType } from './enums';

@ObjectType({ description: 'Who to page: a person, or whoever is on call on a schedule.' })
export class EscalationTarget {
  @Field(() => EscalationTargetType)
  type!: EscalationTargetType;

  @Field(() => ID)
  id!: string;

  @Field({ description: 'For schedules: page the backups too, not only the primary.' })
  includeBackups!: boolean;
}

@ObjectType()
export class EscalationStep {
  @Field(() => Int, { description: 'Minutes to wait for an acknowledgement before the next step.' })
  delayMinutes!: number;

  @Field(() => [EscalationTarget])
  targets!: EscalationTarget[];
}

@ObjectType({ description: 'Ordered steps; each pages its targets, then waits for an acknowledgement before the next.' })
@Entity('escalation_policy')
export class EscalationPolicy {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => Int, { description: 'How many times the whole policy repeats after its last step.' })
  @Column('int', { name: 'repeat_count' })
  repeatCount!: number;

  @Field(() => [EscalationStep])
  @Column('jsonb')
  steps!: EscalationStep[];

  @Field()
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field()
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
