import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ChannelKind, EscalationState, NotificationStatus } from './enums';
import type { EscalationStep } from './escalation-policy.entity';

@ObjectType({ description: 'One message to one person through one channel (the outbox row).' })
@Entity('notification')
export class Notification {
  @Field(() => ID, { description: "The page's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Sent along so receivers can drop duplicates (delivery is at least once).' })
  @Column('text', { name: 'idempotency_key' })
  idempotencyKey!: string;

  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId!: string | null;

  @Column('uuid', { name: 'person_id', nullable: true })
  personId!: string | null;

  @Field(() => ChannelKind, { description: 'How it is sent: SMS, EMAIL, SLACK or WEBHOOK.' })
  @Column('text')
  channel!: ChannelKind;

  @Field({ description: 'Where it is sent: a phone number in E.164, an e-mail address, or a Slack or webhook URL.' })
  @Column('text')
  address!: string;

  @Field({ description: 'The subject line (the e-mail subject, the Slack header).' })
  @Column('text')
  subject!: string;

  @Field({ description: 'The message text.' })
  @Column('text')
  body!: string;

  @Field(() => GraphQLJSONObject, { description: 'Structured facts sent along (incident id and number, priority, escalation step), e.g. as Slack fields or in the webhook JSON.' })
  @Column('jsonb')
  data!: Record<string, unknown>;

  @Field({ description: 'Why it was sent, e.g. escalation step 1.' })
  @Column('text')
  reason!: string;

  @Field(() => NotificationStatus, { description: 'PENDING until sent, SENDING while a worker holds it, then SENT or FAILED; CANCELLED when it became moot before it went out (the escalation stopped, or the communication obligation it reminds of was met or ended).' })
  @Column('text')
  status!: NotificationStatus;

  @Field(() => Int, { description: 'Sends tried so far.' })
  @Column('int')
  attempts!: number;

  @Field(() => Int, { description: 'Sends it may take before it is FAILED.' })
  @Column('int', { name: 'max_attempts' })
  maxAttempts!: number;

  @Field({ description: 'When the next send is due (UTC); moves with each retry (exponential backoff).' })
  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  @Field({ description: "When it was first due: the decision plus the notification rule's delay. Retries move nextAttemptAt, never this." })
  @Column('timestamptz', { name: 'due_at' })
  dueAt!: Date;

  @Column('timestamptz', { name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last send failed; null when none did.' })
  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Field(() => String, { nullable: true, description: "The channel provider's id for the sent message (e.g. Twilio's message SID); null until sent or when the provider gives none." })
  @Column('text', { name: 'provider_message_id', nullable: true })
  providerMessageId!: string | null;

  @Field({ description: 'When the page was decided (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the channel accepted it (UTC); null until SENT.' })
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
  @Field(() => ID, { description: 'The incident being escalated.' })
  @Column('uuid', { name: 'incident_id', primary: true })
  incidentId!: string;

  @Field(() => String, { nullable: true, description: 'The escalation policy it started from; null when that policy was deleted since (the escalation goes on with its snapshot).' })
  @Column('uuid', { name: 'policy_id', nullable: true })
  policyId!: string | null;

  @Column('jsonb', { name: 'policy_snapshot' })
  policySnapshot!: PolicySnapshot;

  @Field(() => EscalationState, { description: 'ACTIVE while steps remain, STOPPED once the incident was acknowledged, mitigated or resolved, EXHAUSTED when every step and repeat was paged without response.' })
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

  @Field(() => String, { nullable: true, description: 'Why it stopped: acknowledged, mitigated or resolved; null unless STOPPED.' })
  @Column('text', { name: 'stopped_reason', nullable: true })
  stoppedReason!: string | null;

  @Field({ description: 'When the escalation last moved (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Field(() => Int, { description: 'How many steps the policy had when the escalation started.' })
  get stepCount(): number {
    return this.policySnapshot.steps.length;
  }

  @Field({ description: 'The policy name at the time the escalation started.' })
  get policyName(): string {
    return this.policySnapshot.name;
  }
}
