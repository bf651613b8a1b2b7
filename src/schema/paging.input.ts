import { Field, ID, InputType, Int } from 'type-graphql';
import { ChannelKind, EscalationTargetType } from './enums';

@InputType({ description: 'A new contact method for a person.' })
export class AddContactMethodInput {
  @Field(() => ID, { description: 'The person reached through it.' })
  personId!: string;

  @Field(() => ChannelKind, { description: 'SMS, EMAIL, SLACK or WEBHOOK; decides what address must look like.' })
  channel!: ChannelKind;

  @Field({ description: 'E.164 number (SMS), e-mail address, or URL (Slack, webhook).' })
  address!: string;

  @Field(() => String, { nullable: true, description: 'A name for it, e.g. "work phone", at most 100 characters.' })
  label?: string | null;
}

@InputType({ description: "When to use one of a person's contact methods." })
export class AddNotificationRuleInput {
  @Field(() => ID, { description: 'The contact method to send through (it decides whose rule this is).' })
  contactMethodId!: string;

  @Field(() => Int, { description: 'Minutes after being paged (0 = at once).' })
  delayMinutes!: number;
}

@InputType({ description: 'What to remove, by id.' })
export class RemoveInput {
  @Field(() => ID, { description: 'The id of what to remove.' })
  id!: string;
}

@InputType({ description: 'Who a step pages.' })
export class EscalationTargetInput {
  @Field(() => EscalationTargetType, { description: 'Whether id names a person, a schedule (whoever is on call when the step fires) or a team (all its members).' })
  type!: EscalationTargetType;

  @Field(() => ID, { description: 'The id of the person, schedule or team; it must exist.' })
  id!: string;

  @Field(() => Boolean, { nullable: true, description: 'Schedules: page the backups as well.' })
  includeBackups?: boolean | null;
}

@InputType({ description: 'One step of an escalation policy.' })
export class EscalationStepInput {
  @Field(() => Int, { description: 'Minutes to wait for an acknowledgement before the next step, 1 to 1440.' })
  delayMinutes!: number;

  @Field(() => [EscalationTargetInput], { description: 'Who is paged when the step fires; at least one.' })
  targets!: EscalationTargetInput[];
}

@InputType({ description: 'A new escalation policy.' })
export class CreateEscalationPolicyInput {
  @Field({ description: 'Display name, 1 to 200 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the policy is for, at most 2,000 characters.' })
  description?: string | null;

  @Field(() => Int, { nullable: true, description: 'Times the policy starts over after its last step (default 0).' })
  repeatCount?: number | null;

  @Field(() => [EscalationStepInput], { description: 'In order, 1 to 20; step 1 is paged when an incident opens.' })
  steps!: EscalationStepInput[];
}

@InputType({ description: 'Which escalation policy to replace, and its new content (all fields, as for createEscalationPolicy).' })
export class UpdateEscalationPolicyInput extends CreateEscalationPolicyInput {
  @Field(() => ID, { description: "The policy's id." })
  id!: string;
}

@InputType({ description: 'Which service gets which escalation policy.' })
export class SetServiceEscalationPolicyInput {
  @Field(() => ID, { description: "The service's id." })
  serviceId!: string;

  @Field(() => ID, { nullable: true, description: 'null removes the policy.' })
  escalationPolicyId?: string | null;
}
