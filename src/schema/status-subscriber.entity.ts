import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ConnectionType } from './connection';
import { StatusSubscriberState, SubscriberChannel } from './enums';

/**
 * Someone told about a status page. The webhook signing secret is deliberately not a column here: no query through
 * this entity can read it, so no API can return it.
 */
@ObjectType({ description: "A subscriber of a status page: an e-mail address, a Slack incoming webhook or a webhook URL. A webhook's signing secret is never shown." })
@Entity('status_subscriber')
export class StatusSubscriber {
  @Field(() => ID, { description: "The subscriber's id (a UUID); pass it to removeStatusSubscriber." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID, { description: 'The status page it subscribed to.' })
  @Column('uuid', { name: 'page_id' })
  pageId!: string;

  @Field(() => SubscriberChannel, { description: 'How it is told.' })
  @Column('text')
  channel!: SubscriberChannel;

  @Field({ description: 'The e-mail address (lower-case), or the URL messages are posted to.' })
  @Column('text')
  address!: string;

  /** Empty: the whole page. */
  @Column('uuid', { name: 'service_ids', array: true })
  serviceIds!: string[];

  @Field(() => Date, { nullable: true, description: 'E-mail: when its confirmation link expires (UTC); null for Slack and webhook subscribers.' })
  @Column('timestamptz', { name: 'confirm_expires_at', nullable: true })
  confirmExpiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was confirmed (UTC): the confirmation link was followed, or at once for Slack and webhooks. Null while PENDING.' })
  @Column('timestamptz', { name: 'confirmed_at', nullable: true })
  confirmedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it unsubscribed (UTC); null while it has not.' })
  @Column('timestamptz', { name: 'unsubscribed_at', nullable: true })
  unsubscribedAt!: Date | null;

  @Field({ description: 'When it subscribed (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Field(() => StatusSubscriberState, { description: 'PENDING until confirmed, then ACTIVE until it unsubscribes.' })
  get state(): StatusSubscriberState {
    if (this.unsubscribedAt) return StatusSubscriberState.UNSUBSCRIBED;
    return this.confirmedAt ? StatusSubscriberState.ACTIVE : StatusSubscriberState.PENDING;
  }
}

export const StatusSubscriberConnection = ConnectionType('StatusSubscriber', StatusSubscriber);

@InputType({ description: 'Which subscribers of the page to list; every filter given must match.' })
export class StatusSubscriberFilter {
  @Field(() => String, { nullable: true, description: 'Part of the address (case-insensitive), at most 200 characters.' })
  search?: string | null;

  @Field(() => SubscriberChannel, { nullable: true, description: 'Only this channel.' })
  channel?: SubscriberChannel | null;

  @Field(() => StatusSubscriberState, { nullable: true, description: 'Only subscribers in this state.' })
  state?: StatusSubscriberState | null;
}

@ObjectType({ description: "A status page's subscribers of one channel." })
export class StatusSubscriberChannelCount {
  @Field(() => SubscriberChannel, { description: 'The channel counted.' })
  channel!: SubscriberChannel;

  @Field(() => Int, { description: 'ACTIVE subscribers of this channel.' })
  active!: number;

  @Field(() => Int, { description: 'PENDING subscribers of this channel (e-mail addresses not confirmed yet).' })
  pending!: number;
}

@ObjectType({ description: "How many subscribers a status page has: those told about it, those still to confirm, per channel." })
export class StatusSubscriberCounts {
  @Field(() => Int, { description: 'ACTIVE subscribers: told about what they subscribed to.' })
  active!: number;

  @Field(() => Int, { description: 'PENDING subscribers: e-mail addresses that have not followed their confirmation link (expired links included).' })
  pending!: number;

  @Field(() => Int, { description: 'Subscribers who unsubscribed.' })
  unsubscribed!: number;

  @Field(() => [StatusSubscriberChannelCount], { description: 'ACTIVE and PENDING per channel, every channel listed (EMAIL, SLACK, WEBHOOK), zeros included.' })
  byChannel!: StatusSubscriberChannelCount[];
}
