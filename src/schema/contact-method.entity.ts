import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ChannelKind } from './enums';

@ObjectType({ description: 'Where a person can be reached: an E.164 number, an e-mail address, a Slack or webhook URL.' })
@Entity('contact_method')
export class ContactMethod {
  @Field(() => ID, { description: "The contact method's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'person_id' })
  personId!: string;

  @Field(() => ChannelKind, { description: 'Which channel sends to address.' })
  @Column('text')
  channel!: ChannelKind;

  @Field({ description: 'A phone number in E.164 (SMS), an e-mail address (EMAIL), or an http(s) URL (SLACK, WEBHOOK).' })
  @Column('text')
  address!: string;

  @Field(() => String, { nullable: true, description: 'A name for it, e.g. "work phone"; null when none was given.' })
  @Column('text', { nullable: true })
  label!: string | null;

  @Field({ description: 'When it was added (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

@ObjectType({ description: 'Notify through a contact method this many minutes after being paged.' })
@Entity('notification_rule')
export class NotificationRule {
  @Field(() => ID, { description: "The rule's id (a UUID)." })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'person_id' })
  personId!: string;

  @Field(() => String, { description: 'The contact method it sends through.' })
  @Column('uuid', { name: 'contact_method_id' })
  contactMethodId!: string;

  @Field(() => Int, { description: 'Minutes after a page is due before this contact method is used, 0 (at once) to 1440.' })
  @Column('int', { name: 'delay_minutes' })
  delayMinutes!: number;

  @Field({ description: 'When the rule was added (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
