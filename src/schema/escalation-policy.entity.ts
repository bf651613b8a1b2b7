import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EscalationTargetType } from './enums';

@ObjectType({ description: 'Who to page: a person, or whoever is on call on a schedule.' })
export class EscalationTarget {
  @Field(() => EscalationTargetType, { description: 'Whether id names a person, a schedule (whoever is on call when the step fires) or a team (all its members).' })
  type!: EscalationTargetType;

  @Field(() => ID, { description: 'The id of the person, schedule or team.' })
  id!: string;

  @Field({ description: 'For schedules: page the backups too, not only the primary.' })
  includeBackups!: boolean;
}

@ObjectType({ description: 'One step of a policy: who is paged, and how long to wait before the next step.' })
export class EscalationStep {
  @Field(() => Int, { description: 'Minutes to wait for an acknowledgement before the next step.' })
  delayMinutes!: number;

  @Field(() => [EscalationTarget], { description: 'Everyone paged when the step fires.' })
  targets!: EscalationTarget[];
}

@ObjectType({ description: 'Ordered steps; each pages its targets, then waits for an acknowledgement before the next.' })
@Entity('escalation_policy')
export class EscalationPolicy {
  @Field(() => ID, { description: "The policy's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Display name, at most 200 characters.' })
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the policy is for; null when none was given.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => Int, { description: 'How many times the whole policy repeats after its last step.' })
  @Column('int', { name: 'repeat_count' })
  repeatCount!: number;

  @Field(() => [EscalationStep], { description: 'In order; step 1 is paged when an incident opens.' })
  @Column('jsonb')
  steps!: EscalationStep[];

  @Field({ description: 'When the policy was created (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
