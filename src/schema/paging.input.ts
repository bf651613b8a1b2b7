import { Field, ID, InputType, Int } from 'type-graphql';
import { ChannelKind, EscalationTargetType } from './enums';

@InputType()
export class AddContactMethodInput {
  @Field(() => ID)
  personId!: string;

  @Field(() => ChannelKind)
  channel!: ChannelKind;

  @Field({ description: 'E.164 number (SMS), e-mail address, or URL (Slack, webhook).' })
  address!: string;

  @Field(() => String, { nullable: true })
  label?: string | null;
}

@InputType()
export class AddNotificationRuleInput {
  @Field(() => ID)
  contactMethodId!: string;

  @Field(() => Int, { description: 'Minutes after being paged (0 = at once).' })
  delayMinutes!: number;
}

@InputType()
export class RemoveInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class EscalationTargetInput {
  @Field(() => EscalationTargetType)
  type!: EscalationTargetType;

  @Field(() => ID)
  id!: string;

  @Field(() => Boolean, { nullable: true, description: 'Schedules: page the backups as well.' })
  includeBackups?: boolean | null;
}

@InputType()
export class EscalationStepInput {
  @Field(() => Int)
  delayMinutes!: number;

  @Field(() => [EscalationTargetInput])
  targets!: EscalationTargetInput[];
}

@InputType()
export class CreateEscalationPolicyInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int, { nullable: true, description: 'Times the policy starts over after its last step (default 0).' })
  repeatCount?: number | null;

  @Field(() => [EscalationStepInput])
  steps!: EscalationStepInput[];
}

@InputType()
export class UpdateEscalationPolicyInput extends CreateEscalationPolicyInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class SetServiceEscalationPolicyInput {
  @Field(() => ID)
  serviceId!: string;

  @Field(() => ID, { nullable: true, description: 'null removes the policy.' })
  escalationPolicyId?: string | null;
}
