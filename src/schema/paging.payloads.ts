import { Field, ObjectType } from 'type-graphql';
import { ContactMethod, NotificationRule } from './contact-method.entity';
import { EscalationPolicy } from './escalation-policy.entity';

@ObjectType({ description: 'The contact method added.' })
export class ContactMethodPayload {
  @Field(() => ContactMethod, { description: 'The contact method, as stored.' })
  contactMethod!: ContactMethod;
}

@ObjectType({ description: 'The notification rule added.' })
export class NotificationRulePayload {
  @Field(() => NotificationRule, { description: 'The notification rule, as stored.' })
  notificationRule!: NotificationRule;
}

@ObjectType({ description: 'The escalation policy as the mutation left it.' })
export class EscalationPolicyPayload {
  @Field(() => EscalationPolicy, { description: 'The escalation policy, after the change.' })
  escalationPolicy!: EscalationPolicy;
}

@ObjectType({ description: 'The answer of a removal.' })
export class RemovedPayload {
  @Field({ description: 'Always true: a removal that did not happen is an error (NOT_FOUND or CONFLICT) instead.' })
  removed!: boolean;
}
