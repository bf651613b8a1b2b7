import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { CommunicationDueChange } from '../db/changes';
import { CommunicationDue, CommunicationObligation, CommunicationPolicy, IncidentCall, IncidentCommunication } from '../schema/communication.entity';
import { CommunicationPolicyPayload, IncidentCallPayload, RecordIncidentCallInput, UpdateCommunicationPolicyInput } from '../schema/communication.input';
import { Role } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { MaintenanceWindow } from '../schema/maintenance-window.entity';
import { notFound } from '../shared/domain-error';
import type { GraphQLContext } from './context';
import { AFTER, type Resumable } from './subscription-args';

const INPUT = 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).';

/** The communication cadence: policies per priority, calls, and what each incident owes. */
@Resolver()
export class CommunicationResolver {
  @Authorized(Role.VIEWER)
  @Query(() => [CommunicationPolicy], { description: 'The communication policy of each priority, P1 to P4: how often an incident must be communicated, and the grace before an unmet obligation escalates. Role: VIEWER.' })
  communicationPolicies(@Ctx() { services }: GraphQLContext): Promise<CommunicationPolicy[]> {
    return services.communicationPolicies.list();
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CommunicationPolicyPayload, {
    description:
      "Changes the intervals of one priority's communication policy (null turns one off); fields not given stay. Obligations already planned keep their times; the next ones follow the new policy. Role: ADMIN. BAD_USER_INPUT naming the field for an interval that is not a whole number from 1 to 10,080 minutes, or a null escalationGraceMinutes; nothing is written then.",
  })
  async updateCommunicationPolicy(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: INPUT }) input: UpdateCommunicationPolicyInput): Promise<CommunicationPolicyPayload> {
    return { communicationPolicy: await services.communicationPolicies.update({ ...input }, audit) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentCallPayload, {
    description:
      "Records a call of the incident team with its attendees and notes: it goes on the timeline and meets the incident's call obligation (the next one is planned from now while the incident is open). Role: RESPONDER. NOT_FOUND for an unknown incident; BAD_USER_INPUT for no attendees, more than 100, or a text too long.",
  })
  async recordIncidentCall(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: RecordIncidentCallInput): Promise<IncidentCallPayload> {
    return { incidentCall: await services.communication.recordCall(actor, input) };
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => CommunicationDue, {
    subscribe: ({ args, context }) =>
      (context as GraphQLContext).changes.subscribe('COMMUNICATION_DUE', {
        filter: (change) => {
          const { incidentId, maintenanceWindowId } = args as { incidentId?: string | null; maintenanceWindowId?: string | null };
          return (!incidentId || change.incidentId === incidentId) && (!maintenanceWindowId || change.maintenanceWindowId === maintenanceWindowId);
        },
        key: (change) => `${change.obligationId}:${change.stage}`,
        after: (args as Resumable).after,
      }),
    description:
      "A communication obligation of an incident or a maintenance window was planned (with its due time, for a countdown), met, became overdue (its reminder went out), escalated after the grace, or ended; after the transaction committed. With both incidentId and maintenanceWindowId, only obligations matching both (none: an obligation has one subject). Role: VIEWER.",
  })
  async communicationDue(
    @Root() change: CommunicationDueChange,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('incidentId', () => ID, { nullable: true, description: "Only this incident's obligations; every incident's (and window's) without it." }) _incidentId?: string,
    @Arg('maintenanceWindowId', () => ID, { nullable: true, description: "Only this maintenance window's obligations; every window's (and incident's) without it." }) _maintenanceWindowId?: string,
    @Arg('after', () => String, { nullable: true, description: AFTER }) _after?: string,
  ): Promise<CommunicationDue> {
    const obligation = await loaders.communicationObligation.load(change.obligationId);
    if (!obligation) throw notFound('communication obligation', change.obligationId);
    return { stage: change.stage, obligation };
  }
}

@Resolver(() => Incident)
export class IncidentCommunicationResolver {
  @FieldResolver(() => IncidentCommunication, { description: 'What the incident owes in status updates and calls, after the communication policy of its priority: obligations, the next due time, how many are overdue.' })
  communication(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<IncidentCommunication> {
    return loaders.communication.load(incident.id);
  }

  @FieldResolver(() => [IncidentCall], { description: 'The calls of the incident team recorded on this incident, oldest first.' })
  calls(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<IncidentCall[]> {
    return loaders.incidentCalls.load(incident.id);
  }
}

@Resolver(() => MaintenanceWindow)
export class MaintenanceCommunicationResolver {
  @FieldResolver(() => IncidentCommunication, {
    description: "What the window owes while it is in progress: an update (postMaintenanceUpdate) every maintenanceUpdateMinutes of the communication policy of its incidentPriority (hourly by default); the obligations, the next due time, how many are overdue.",
  })
  communication(@Root() window: MaintenanceWindow, @Ctx() { loaders }: GraphQLContext): Promise<IncidentCommunication> {
    return loaders.maintenanceCommunication.load(window.id);
  }
}

@Resolver(() => CommunicationObligation)
export class CommunicationObligationResolver {
  @FieldResolver(() => MaintenanceWindow, { nullable: true, description: "The maintenance window that owes it; null for an incident's obligation." })
  maintenanceWindow(@Root() obligation: CommunicationObligation, @Ctx() { loaders }: GraphQLContext): Promise<MaintenanceWindow | null> {
    return obligation.maintenanceWindowId ? loaders.maintenanceWindow.load(obligation.maintenanceWindowId) : Promise.resolve(null);
  }

  @FieldResolver(() => Incident, { nullable: true, description: "The incident that owes it; null for a maintenance window's obligation." })
  incident(@Root() obligation: CommunicationObligation, @Ctx() { loaders }: GraphQLContext): Promise<Incident | null> {
    return obligation.incidentId ? loaders.incident.load(obligation.incidentId) : Promise.resolve(null);
  }
}

export const COMMUNICATION_RESOLVERS = [CommunicationResolver, IncidentCommunicationResolver, MaintenanceCommunicationResolver, CommunicationObligationResolver] as const;
