import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { EscalationPolicyConnection, NotificationConnection } from '../schema/connections';
import { ContactMethod, NotificationRule } from '../schema/contact-method.entity';
import { Role, roleAtLeast } from '../schema/enums';
import { EscalationPolicy } from '../schema/escalation-policy.entity';
import { Incident } from '../schema/incident.entity';
import { IncidentEscalation, Notification } from '../schema/notification.entity';
import {
  AddContactMethodInput,
  AddNotificationRuleInput,
  CreateEscalationPolicyInput,
  RemoveInput,
  SetServiceEscalationPolicyInput,
  UpdateEscalationPolicyInput,
} from '../schema/paging.input';
import { ContactMethodPayload, EscalationPolicyPayload, NotificationRulePayload, RemovedPayload } from '../schema/paging.payloads';
import { IncidentIdInput } from '../schema/incident.input';
import { EscalationPolicyFilter, NotificationFilter } from '../schema/list-filters.input';
import { IncidentPayload, ServicePayload } from '../schema/payloads';
import { Person } from '../schema/person.entity';
import { Service } from '../schema/service.entity';
import type { Actor } from '../shared/actor';
import { DomainError, ErrorCode } from '../shared/domain-error';
import { ConnectionArgs } from './connection-args';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';

@ArgsType()
class EscalationPoliciesArgs extends ConnectionArgs {
  @Field(() => EscalationPolicyFilter, { nullable: true, description: 'Only policies matching every field given; all without it.' })
  filter?: EscalationPolicyFilter | null;
}

@ArgsType()
class NotificationsArgs extends ConnectionArgs {
  @Field(() => NotificationFilter, { nullable: true, description: 'Only pages matching every field given; all without it.' })
  filter?: NotificationFilter | null;
}

/** Admins manage anyone's contact methods; a responder token linked to a person manages its own. */
function requireSelfOrAdmin(actor: Actor, personId: string): void {
  if (actor.role && roleAtLeast(actor.role, Role.ADMIN)) return;
  if (actor.personId && actor.personId === personId) return;
  throw new DomainError(ErrorCode.FORBIDDEN, 'only an admin, or the person themselves, may change their contact methods');
}

@Resolver()
export class PagingResolver {
  @Authorized(Role.RESPONDER)
  @Mutation(() => ContactMethodPayload, {
    description:
      'A new way to reach a person (an SMS number, e-mail address, Slack or webhook URL). Role: RESPONDER for a token acting for that person, ADMIN for anyone (else FORBIDDEN). BAD_USER_INPUT for a personId naming nobody or an address that does not fit the channel.',
  })
  async addContactMethod(@Ctx() { services, actor, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: AddContactMethodInput): Promise<ContactMethodPayload> {
    requireSelfOrAdmin(actor, input.personId);
    return { contactMethod: await services.paging.addContactMethod(input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => RemovedPayload, { description: "Removes a contact method and the notification rules that use it. Role: ADMIN. NOT_FOUND for an unknown id." })
  async removeContactMethod(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: RemoveInput): Promise<RemovedPayload> {
    await services.paging.removeContactMethod(input.id, audit);
    return { removed: true };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => NotificationRulePayload, {
    description:
      "When to page a person through one of their contact methods after a page is due, e.g. SMS at once (0), e-mail after 5 minutes. Role: ADMIN. BAD_USER_INPUT for a contactMethodId naming nothing or a delay outside 0 to 1440 minutes.",
  })
  async addNotificationRule(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: AddNotificationRuleInput): Promise<NotificationRulePayload> {
    return { notificationRule: await services.paging.addNotificationRule(input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => RemovedPayload, { description: 'Removes a notification rule; a person left with none is paged by SMS to their phone, else by e-mail. Role: ADMIN. NOT_FOUND for an unknown id.' })
  async removeNotificationRule(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: RemoveInput): Promise<RemovedPayload> {
    await services.paging.removeNotificationRule(input.id, audit);
    return { removed: true };
  }

  @Authorized(Role.VIEWER)
  @Query(() => EscalationPolicyConnection, { description: 'Escalation policies by name (then id), a page at a time. Role: VIEWER.', complexity: pageComplexity })
  async escalationPolicies(@Ctx() { services }: GraphQLContext, @Args() args: EscalationPoliciesArgs): Promise<Connection<EscalationPolicy>> {
    return toConnection(EscalationPolicyConnection, await services.paging.listPolicies(args.filter ?? {}, args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => EscalationPolicy, { description: 'One escalation policy by id. Role: VIEWER. BAD_USER_INPUT for an id that is not a UUID; NOT_FOUND when no policy has it.' })
  escalationPolicy(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID, { description: "The policy's id (a UUID)." }) id: string): Promise<EscalationPolicy> {
    return services.paging.getPolicy(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => EscalationPolicyPayload, {
    description:
      'A new escalation policy: ordered steps, each paging its targets and waiting its delay before the next, repeated repeatCount times. Role: ADMIN. BAD_USER_INPUT for an empty name, no steps or more than 20, a step without targets, a delay outside 1 to 1440 minutes, a repeatCount outside 0 to 20, or a target that does not exist.',
  })
  async createEscalationPolicy(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: CreateEscalationPolicyInput): Promise<EscalationPolicyPayload> {
    return { escalationPolicy: await services.paging.createPolicy(input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => EscalationPolicyPayload, {
    description:
      'Replaces name, description, repeat count and steps. Escalations already under way keep the policy they started with. Role: ADMIN. NOT_FOUND for an unknown id; BAD_USER_INPUT as for createEscalationPolicy.',
  })
  async updateEscalationPolicy(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) { id, ...input }: UpdateEscalationPolicyInput): Promise<EscalationPolicyPayload> {
    return { escalationPolicy: await services.paging.updatePolicy(id, input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => RemovedPayload, {
    description: 'Refused with CONFLICT while a service uses the policy. Escalations already under way keep the policy they started with. Role: ADMIN. NOT_FOUND for an unknown id.',
  })
  async deleteEscalationPolicy(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: RemoveInput): Promise<RemovedPayload> {
    await services.paging.deletePolicy(input.id, audit);
    return { removed: true };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ServicePayload, {
    description: "Sets (or, with no escalationPolicyId, clears) the policy that pages for a service's new incidents. Role: ADMIN. NOT_FOUND for an unknown service or policy.",
  })
  async setServiceEscalationPolicy(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: SetServiceEscalationPolicyInput): Promise<ServicePayload> {
    return { service: await services.paging.setServicePolicy(input.serviceId, input.escalationPolicyId ?? null, audit) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload, {
    description: 'Move the escalation on to its next step now, paging its targets. Role: RESPONDER. NOT_FOUND when the incident has no escalation; CONFLICT when its escalation is no longer ACTIVE.',
  })
  async escalateIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: IncidentIdInput): Promise<IncidentPayload> {
    await services.escalation.escalateNow(actor, input.id);
    return { incident: await services.incidents.get(input.id) };
  }
}

@Resolver(() => Person)
export class PersonPagingResolver {
  @FieldResolver(() => [ContactMethod], { description: 'How this person can be reached.' })
  contactMethods(@Root() person: Person, @Ctx() { loaders }: GraphQLContext): Promise<ContactMethod[]> {
    return loaders.contactMethods.load(person.id);
  }

  @FieldResolver(() => [NotificationRule], { description: 'When each contact method is used after a page is due; with none, SMS to their phone, else e-mail.' })
  notificationRules(@Root() person: Person, @Ctx() { loaders }: GraphQLContext): Promise<NotificationRule[]> {
    return loaders.notificationRules.load(person.id);
  }
}

@Resolver(() => Service)
export class ServicePagingResolver {
  @FieldResolver(() => EscalationPolicy, { nullable: true, description: "The policy that pages for this service's new incidents; null when nobody is paged." })
  async escalationPolicy(@Root() service: Service, @Ctx() { loaders }: GraphQLContext): Promise<EscalationPolicy | null> {
    return service.escalationPolicyId ? loaders.escalationPolicy.load(service.escalationPolicyId) : null;
  }
}

@Resolver(() => Incident)
export class IncidentPagingResolver {
  @FieldResolver(() => IncidentEscalation, { nullable: true, description: 'Current step and the next escalation time; null when the service had no escalation policy when the incident opened.' })
  escalation(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<IncidentEscalation | null> {
    return loaders.escalation.load(incident.id);
  }

  @FieldResolver(() => NotificationConnection, {
    description: 'The pages sent or queued for this incident: oldest decision first, then by when each was first due.',
    complexity: pageComplexity,
  })
  async notifications(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext, @Args() args: NotificationsArgs): Promise<Connection<Notification>> {
    return toConnection(NotificationConnection, await loaders.notificationPages(args.filter ?? {}, args).load(incident.id), args);
  }
}
