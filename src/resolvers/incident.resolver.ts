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
  @Field(() => IncidentFilter, { nullable: true })
  filter?: IncidentFilter | null;

  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => IncidentOrder, { nullable: true, defaultValue: IncidentOrder.OPENED_AT_DESC })
  orderBy?: IncidentOrder;
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Authorized(Role.VIEWER)
  @Query(() => Incident, { description: 'One incident by id or by its human number.' })
  incident(
    @Ctx() { services }: GraphQLContext,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('number', () => Int, { nullable: true }) number?: number,
  ): Promise<Incident> {
    if (id) return services.incidents.get(id);
    if (number !== undefined && number !== null) return services.incidents.getByNumber(number);
    throw badInput('id', 'give id or number');
  }

  @Authorized(Role.VIEWER)
  @Query(() => IncidentConnection, { complexity: pageComplexity })
  async incidents(@Ctx() { services }: GraphQLContext, @Args() args: IncidentsArgs): Promise<Connection<Incident>> {
    return toConnection(IncidentConnection, await services.incidentQueries.list(args.filter ?? {}, args, args.orderBy), args);
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload)
  async declareIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: DeclareIncidentInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.declare(actor, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload)
  async acknowledgeIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: IncidentIdInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.acknowledge(actor, input.id) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload, { description: 'The impact is contained; restoration may still be under way.' })
  async mitigateIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: IncidentIdInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.mitigate(actor, input.id) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload)
  async resolveIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: ResolveIncidentInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.resolve(actor, input.id, input.resolution ?? undefined) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload, { description: 'The post-incident review is done.' })
  async markIncidentReviewed(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: IncidentIdInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.markReviewed(actor, input.id) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => IncidentPayload)
  async updateIncident(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: UpdateIncidentInput): Promise<IncidentPayload> {
    return { incident: await services.incidents.update(actor, input.id, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => TimelineNotePayload)
  async addTimelineNote(@Ctx() { services, actor }: GraphQLContext, @Arg('input') input: AddTimelineNoteInput): Promise<TimelineNotePayload> {
    return { timelineEvent: await services.incidents.addNote(actor, input.incidentId, input.text) };
  }

  @FieldResolver(() => Service)
  async service(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<Service | null> {
    return loaders.service.load(incident.serviceId);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The commander / owner.' })
  async owner(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return incident.ownerId ? loaders.person.load(incident.ownerId) : null;
  }

  @FieldResolver(() => [TimelineEvent], {
    description: `Newest first; at most ${TIMELINE_MAX}. Pass before (an event id) to page back.`,
    complexity: pageComplexityWithDefault(50),
  })
  async timeline(
    @Root() incident: Incident,
    @Ctx() { loaders, services }: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('before', () => ID, { nullable: true }) before?: string,
  ): Promise<TimelineEvent[]> {
    if (first < 1 || first > TIMELINE_MAX) throw badInput('first', `must be between 1 and ${TIMELINE_MAX}`);
    if (before) return services.timeline.list(incident.id, first, before);
    return loaders.latestTimeline(first).load(incident.id);
  }

  @FieldResolver(() => [StatusUpdate], { description: 'Newest first.' })
  async statusUpdates(
    @Root() incident: Incident,
    @Ctx() { services }: GraphQLContext,
    @Arg('audience', () => Audience, { nullable: true }) audience?: Audience,
  ): Promise<StatusUpdate[]> {
    return services.statusUpdates.list(incident.id, audience);
  }

  @FieldResolver(() => [MitigationStep], { description: 'In the order they were announced.' })
  async mitigationSteps(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<MitigationStep[]> {
    return loaders.mitigationSteps.load(incident.id);
  }
}
