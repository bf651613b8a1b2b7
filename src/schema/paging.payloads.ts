import { Field, ObjectType } from 'type-graphql';
import { ContactMethod, NotificationRule } from './contact-method.entity';
import { EscalationPolicy } from './escalation-policy.entity';

@ObjectType()
export class ContactMethodPayload {
  @Field(() => ContactMethod)
  contactMethod!: ContactMethod;
}

@ObjectType()
export class NotificationRulePayload {
  @Field(() => NotificationRule)
  notificationRule!: NotificationRule;
}

@ObjectType()
export class EscalationPolicyPayload {
  @Field(() => EscalationPolicy)
  escalationPolicy!: EscalationPolicy;
}

@ObjectType()
export class RemovedPayload {
  @Field()
  removed!: boolean;
}
