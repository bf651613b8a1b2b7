import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ChannelKind } from './enums';

@ObjectType({ description: 'Where a person can be reached: an E.164 number, an e-mail address, a Slack or webhook URL.' })
@Entity('contact_method')
export class ContactMethod {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'person_id' })
  personId!: string;

  @Field(() => ChannelKind)
  @Column('text')
  channel!: ChannelKind;

  @Field()
  @Column('text')
  address!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  label!: string | null;

  @Field()
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

@ObjectType({ description: 'Notify through a contact method this many minutes after being paged.' })
@Entity('notification_rule')
export class NotificationRule {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'person_id' })
  personId!: string;

  @Field(() => String)
  @Column('uuid', { name: 'contact_method_id' })
  contactMethodId!: string;

  @Field(() => Int)
  @Column('int', { name: 'delay_minutes' })
  delayMinutes!: number;

  @Field()
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
