import { IncidentComponentImpact } from '../schema/component-impact.type';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { IncidentConnection } from '../schema/connections';
import { Audience, IncidentOrder, Role } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import {
  AddTimelineNoteInput,
  DeclareIncidentInput,
  IncidentFilter,
  IncidentIdInput,
  ResolveIncidentInput,
  TIMELINE_MAX,
  UpdateIncidentInput,
} from '../schema/incident.input';
import { MitigationStep } from '../schema/mitigation-step.entity';
import { IncidentPayload, TimelineNotePayload } from '../schema/payloads';
import { Person } from '../schema/person.entity';
import { Service } from '../schema/service.entity';
import { StatusUpdate } from '../schema/status-update.entity';
import { TimelineEvent } from '../schema/timeline-event.entity';
import { badInput } from '../shared/domain-error';
import { pageComplexity, pageComplexityWithDefault } from './complexity';
import type { GraphQLContext } from './context';

@ArgsType()
class IncidentsArgs {
  @Field(() => IncidentFilter, { nullable: true, description: 'Only incidents matching every field given; all incidents without it.' })
  filter?: IncidentFilter | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20); outside that is BAD_USER_INPUT naming `first`.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The previous page\'s pageInfo.endCursor, to get the page after it; a cursor the server did not issue is BAD_USER_INPUT naming `after`.' })
  after?: string | null;

  @Field(() => IncidentOrder, { nullable: true, defaultValue: IncidentOrder.OPENED_AT_DESC, description: 'By when each incident opened (then by id); newest first by default.' })
  orderBy?: IncidentOrder;
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Authorized(Role.VIEWER)
  @Query(() => Incident, {
    description:
      'One incident by id or by its human number (#12). Role: VIEWER. BAD_USER_INPUT when neither is given or the id is not a UUID; NOT_FOUND when no incident has it.',
  })
  incident(
    @Ctx() { services }: GraphQLContext,
    @Arg('id', () => ID, { nullable: true, description: "The incident's id (a UUID); when given, number is ignored." }) id?: string,
    @Arg('number', () => Int, { nullable: true, description: "The incident's human number, as in #12." }) number?: number,
  ): Promise<Incident> {
    if (id) return services.incidents.get(id);
    if (number !== undefined && number !== null) return services.incidents.getByNumber(number);
    throw badInput('id', 'give id or number');
  }

  @Authorized(Role.VIEWER)
  @Query(() => IncidentConnection, {
    complexity: pageComplexity,
    description: 'Incidents matching the filter, a page at a time (Relay connection, keyset-ordered by orderBy). Role: VIEWER.',
  })
  async incidents(@Ctx() { services }: GraphQLContext, @Args() args: IncidentsArgs): Promise<Connection<Incident>> {
    return toConnection(IncidentConnection, await services.incidentQueries.list(args.filter ?? {}, args, args.orderBy), args);
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload, {
    description:
      "Opens an incident by hand (a P1 ticket, an internal discovery, a customer report): TRIGGERED, source INTERNAL unless given, and step 1 of its service's escalation policy paged in the same transaction. Role: RESPONDER. BAD_USER_INPUT when a text is empty or too long, or serviceId or ownerId names nothing.",
  })
  async declareIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: DeclareIncidentInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.declare(actor, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload, {
    description:
      'Someone is on it: TRIGGERED → ACKNOWLEDGED; the escalation stops and pages not yet sent are cancelled. Role: RESPONDER. NOT_FOUND for an unknown id; CONFLICT unless the incident is TRIGGERED.',
  })
  async acknowledgeIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: IncidentIdInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.acknowledge(actor, input.id) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload, {
    description:
      'The impact is contained; restoration may still be under way: TRIGGERED or ACKNOWLEDGED → MITIGATED; the escalation stops. Role: RESPONDER. NOT_FOUND for an unknown id; CONFLICT from any other status.',
  })
  async mitigateIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: IncidentIdInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.mitigate(actor, input.id) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload, {
    description:
      'The disruption is over: any open status (TRIGGERED, ACKNOWLEDGED, MITIGATED) → RESOLVED with a resolution (FIXED unless given); its firing alerts resolve too and the escalation stops. Role: RESPONDER. NOT_FOUND for an unknown id; CONFLICT when it is already RESOLVED or REVIEWED.',
  })
  async resolveIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: ResolveIncidentInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.resolve(actor, input.id, input.resolution ?? undefined) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload, { description: 'The post-incident review is done: RESOLVED → REVIEWED. Role: RESPONDER. NOT_FOUND for an unknown id; CONFLICT unless the incident is RESOLVED.' })
  async markIncidentReviewed(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: IncidentIdInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.markReviewed(actor, input.id) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload, {
    description:
      'Changes title, description, priority, impact or owner: fields not given stay, and one timeline event lists what changed (nothing when nothing did). Role: RESPONDER. NOT_FOUND for an unknown incident; BAD_USER_INPUT for an empty or too long text or an ownerId naming nobody.',
  })
  async updateIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: UpdateIncidentInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.update(actor, input.id, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => TimelineNotePayload, {
    description: "Adds a note to the incident's timeline. Role: RESPONDER. NOT_FOUND for an unknown incident; BAD_USER_INPUT when text is empty or over 10,000 characters.",
  })
  async addTimelineNote(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: AddTimelineNoteInput): Promise<TimelineNotePayload> {
    return { timelineEvent: await services.incidents.addNote(actor, input.incidentId, input.text) };
  }

  @FieldResolver(() => Service, { description: 'The service the incident disrupts; its escalation policy pages.' })
  async service(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<Service | null> {
    // Joined when the incident was read, unless the incident has moved to another service since.
    if (incident.joinedService?.id === incident.serviceId) return incident.joinedService;
    return loaders.service.load(incident.serviceId);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The incident commander (owner), who leads the response; null until someone is set.' })
  async owner(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    if (incident.joinedOwner !== undefined && (incident.joinedOwner?.id ?? null) === incident.ownerId) return incident.joinedOwner;
    return incident.ownerId ? loaders.person.load(incident.ownerId) : null;
  }

  @FieldResolver(() => [TimelineEvent], {
    description: `Newest first; at most ${TIMELINE_MAX}. Pass before (an event id) to page back.`,
    complexity: pageComplexityWithDefault(50),
  })
  async timeline(
    @Root() incident: Incident,
    @Ctx() { loaders, services }: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `How many events, 1 to ${TIMELINE_MAX}; outside that is BAD_USER_INPUT.` }) first: number,
    @Arg('before', () => ID, { nullable: true, description: 'The id of the oldest event received: only older ones come (none for an id that is not on this timeline).' }) before?: string,
  ): Promise<TimelineEvent[]> {
    if (first < 1 || first > TIMELINE_MAX) throw badInput('first', `must be between 1 and ${TIMELINE_MAX}`);
    if (before) return services.timeline.list(incident.id, first, before);
    return loaders.latestTimeline(first).load(incident.id);
  }

  @FieldResolver(() => [IncidentComponentImpact], { description: 'What it does to each component (public service) of the status pages, as stated; empty when none was stated (then its own service, by priority).' })
  async componentImpacts(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<IncidentComponentImpact[]> {
    return (await loaders.componentImpacts.load(incident.id)) as IncidentComponentImpact[];
  }

  @FieldResolver(() => [StatusUpdate], { description: 'Status updates posted on this incident, newest first, at most 200.' })
  async statusUpdates(
    @Root() incident: Incident,
    @Ctx() { services }: GraphQLContext,
    @Arg('audience', () => Audience, { nullable: true, description: 'Only updates for this audience; both without it.' }) audience?: Audience,
  ): Promise<StatusUpdate[]> {
    return services.statusUpdates.list(incident.id, audience);
  }

  @FieldResolver(() => [MitigationStep], { description: 'The mitigation steps announced for this incident, in the order they were announced.' })
  async mitigationSteps(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<MitigationStep[]> {
    return loaders.mitigationSteps.load(incident.id);
  }
}
