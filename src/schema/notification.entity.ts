import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ChannelKind, EscalationState, NotificationStatus } from './enums';
import type { EscalationStep } from './escalation-policy.entity';

@ObjectType({ description: 'One message to one person through one channel (the outbox row).' })
@Entity('notification')
export class Notification {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Sent along so receivers can drop duplicates (delivery is at least once).' })
  @Column('text', { name: 'idempotency_key' })
  idempotencyKey!: string;

  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId!: string | null;

  @Column('uuid', { name: 'person_id', nullable: true })
  personId!: string | null;

  @Field(() => ChannelKind)
  @Column('text')
  channel!: ChannelKind;

  @Field()
  @Column('text')
  address!: string;

  @Field()
  @Column('text')
  subject!: string;

  @Field()
  @Column('text')
  body!: string;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  data!: Record<string, unknown>;

  @Field({ description: 'Why it was sent, e.g. escalation step 1.' })
  @Column('text')
  reason!: string;

  @Field(() => NotificationStatus)
  @Column('text')
  status!: NotificationStatus;

  @Field(() => Int)
  @Column('int')
  attempts!: number;

  @Field(() => Int)
  @Column('int', { name: 'max_attempts' })
  maxAttempts!: number;

  @Field()
  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  @Field({ description: "When it was first due: the decision plus the notification rule's delay. Retries move nextAttemptAt, never this." })
  @Column('timestamptz', { name: 'due_at' })
  dueAt!: Date;

  @Column('timestamptz', { name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'provider_message_id', nullable: true })
  providerMessageId!: string | null;

  @Field()
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt!: Date | null;
}

export interface PolicySnapshot {
  policyId: string;
  name: string;
  repeatCount: number;
  steps: EscalationStep[];
}

@ObjectType({ description: "Where an incident's escalation stands." })
@Entity('incident_escalation')
export class IncidentEscalation {
  @Field(() => ID)
  @Column('uuid', { name: 'incident_id', primary: true })
  incidentId!: string;

  @Field(() => String, { nullable: true })
  @Column('uuid', { name: 'policy_id', nullable: true })
  policyId!: string | null;

  @Column('jsonb', { name: 'policy_snapshot' })
  policySnapshot!: PolicySnapshot;

  @Field(() => EscalationState)
  @Column('text')
  state!: EscalationState;

  @Field(() => Int, { description: '0-based index of the step last notified.' })
  @Column('int', { name: 'step_index' })
  stepIndex!: number;

  @Field(() => Int, { description: 'How many times the policy has started over.' })
  @Column('int', { name: 'repeat_index' })
  repeatIndex!: number;

  @Field(() => Date, { nullable: true, description: 'When the next step fires unless acknowledged.' })
  @Column('timestamptz', { name: 'next_due_at', nullable: true })
  nextDueAt!: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'stopped_reason', nullable: true })
  stoppedReason!: string | null;

  @Field()
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Field(() => Int)
  get stepCount(): number {
    return this.policySnapshot.steps.length;
  }

  @Field({ description: 'The policy name at the time the escalation started.' })
  get policyName(): string {
    return this.policySnapshot.name;
  }
}
