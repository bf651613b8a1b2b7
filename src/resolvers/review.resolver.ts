import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { ReviewChange } from '../db/changes';
import { CauseCategory } from '../schema/cause-category.entity';
import { Role, ReviewSection } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import { IncidentReview } from '../schema/incident-review.entity';
import {
  CauseCategoryPayload,
  CreateCauseCategoryInput,
  OpenReviewInput,
  ReviewIncidentInput,
  ReviewPayload,
  UpdateCauseCategoryInput,
  UpdateReviewSectionInput,
} from '../schema/review.input';
import {
  ReviewCause,
  ReviewComponentDowntime,
  ReviewDetection,
  ReviewEditConnection,
  ReviewImpact,
  ReviewMitigation,
  ReviewParticipantSection,
  ReviewPreventiveActions,
  ReviewTimelineItem,
} from '../schema/review.types';
import { Service } from '../schema/service.entity';
import { toConnection, type Connection } from '../schema/connection';
import type { ReviewEdit } from '../schema/review.types';
import { notFound } from '../shared/domain-error';
import { ConnectionArgs } from './connection-args';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';
import { AFTER, type Resumable } from './subscription-args';

const INPUT = 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field.';
const LIFECYCLE_ERRORS = 'NOT_FOUND when the incident has no IRF; CONFLICT when the IRF is not in the status the step leaves from.';

async function incidentOf(review: IncidentReview, { loaders }: GraphQLContext): Promise<Incident> {
  const incident = await loaders.incident.load(review.incidentId);
  if (!incident) throw notFound('incident', review.incidentId);
  return incident;
}

@Resolver(() => IncidentReview)
export class ReviewResolver {
  @Authorized(Role.RESPONDER)
  @Mutation(() => ReviewPayload, {
    description: `Opens the incident's IRF by hand, drafted from what it recorded: for a FALSE_POSITIVE resolution (resolving FIXED opens one by itself), or with another origin. Role: RESPONDER. NOT_FOUND for an unknown incident; CONFLICT unless it is RESOLVED or REVIEWED, or when it has one.`,
  })
  async openReview(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: OpenReviewInput): Promise<ReviewPayload> {
    return { review: await services.reviews.open(actor, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => ReviewPayload, {
    description:
      'Edits ONE section of the IRF (give exactly one of its fields; BAD_USER_INPUT naming them otherwise); the edit is recorded (who, when, which section, what changed) and bumps the revision. Role: RESPONDER. CONFLICT when the IRF is APPROVED (reopen it first) or `revision` is stale; NOT_FOUND when the incident has no IRF.',
  })
  async updateReviewSection(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: UpdateReviewSectionInput): Promise<ReviewPayload> {
    return { review: await services.reviews.updateSection(actor, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => ReviewPayload, { description: `Submits the IRF for approval: DRAFT → IN_REVIEW (it stays editable). Role: RESPONDER. ${LIFECYCLE_ERRORS}` })
  async submitReview(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: ReviewIncidentInput): Promise<ReviewPayload> {
    return { review: await services.reviews.submit(actor, input.incidentId) };
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => ReviewPayload, {
    description: `Approves the IRF: IN_REVIEW → APPROVED, read-only from then on, and the incident RESOLVED → REVIEWED in the same transaction. Role: ANALYST. BAD_USER_INPUT (extensions.field "missingSections") naming every required section still missing; ${LIFECYCLE_ERRORS}`,
  })
  async approveReview(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: ReviewIncidentInput): Promise<ReviewPayload> {
    return { review: await services.reviews.approve(actor, input.incidentId) };
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => ReviewPayload, { description: `Reopens an approved IRF for editing: APPROVED → DRAFT, the incident REVIEWED → RESOLVED; recorded. Role: ANALYST. ${LIFECYCLE_ERRORS}` })
  async reopenReview(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: ReviewIncidentInput): Promise<ReviewPayload> {
    return { review: await services.reviews.reopen(actor, input.incidentId) };
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => IncidentReview, {
    subscribe: ({ args, context }) =>
      (context as GraphQLContext).changes.subscribe('REVIEW_UPDATED', {
        filter: (change) => !(args as { incidentId?: string | null }).incidentId || change.incidentId === (args as { incidentId: string }).incidentId,
        key: (change) => change.reviewId,
        after: (args as Resumable).after,
      }),
    description: "An incident's IRF, its RCA or their tasks changed: the IRF as it is when the event is sent. Role: VIEWER.",
  })
  async reviewUpdated(
    @Root() change: ReviewChange,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('incidentId', () => ID, { nullable: true, description: "Only this incident's review; every review without it." }) _incidentId?: string,
    @Arg('after', () => String, { nullable: true, description: AFTER }) _after?: string,
  ): Promise<IncidentReview> {
    const review = await loaders.review.load(change.incidentId);
    if (!review) throw notFound('incident record file of incident', change.incidentId);
    return review;
  }

  @FieldResolver(() => Incident, { description: 'The incident reviewed.' })
  incident(@Root() review: IncidentReview, @Ctx() context: GraphQLContext): Promise<Incident> {
    return incidentOf(review, context);
  }

  @FieldResolver(() => ReviewDetection, { description: 'How and when it was detected, with the computed timings.' })
  async detection(@Root() review: IncidentReview, @Ctx() context: GraphQLContext): Promise<ReviewDetection> {
    return context.services.reviewReader.detection(review, await incidentOf(review, context));
  }

  @FieldResolver(() => ReviewMitigation, { description: 'What was done, each mitigation step with its outcome, and what would have mitigated faster.' })
  mitigation(@Root() review: IncidentReview, @Ctx() { services }: GraphQLContext): Promise<ReviewMitigation> {
    return services.reviewReader.mitigation(review);
  }

  @FieldResolver(() => [ReviewCause], { description: 'The root cause and contributing factors, in order.' })
  causes(@Root() review: IncidentReview, @Ctx() { services }: GraphQLContext): Promise<ReviewCause[]> {
    return services.reviewReader.causes(review);
  }

  @FieldResolver(() => ReviewImpact, { description: 'Who and what it affected, for how long, and the downtime per component.' })
  async impact(@Root() review: IncidentReview, @Ctx() context: GraphQLContext): Promise<ReviewImpact> {
    return context.services.reviewReader.impact(review, await incidentOf(review, context));
  }

  @FieldResolver(() => [ReviewTimelineItem], { description: "The incident's timeline events with the review's pins, and the entries added afterwards, oldest first." })
  timeline(
    @Root() review: IncidentReview,
    @Ctx() { services }: GraphQLContext,
    @Arg('includeHidden', () => Boolean, { defaultValue: false, description: 'Also the events hidden as noise (marked hidden).' }) includeHidden: boolean,
  ): Promise<ReviewTimelineItem[]> {
    return services.reviewReader.timeline(review, includeHidden);
  }

  @FieldResolver(() => ReviewPreventiveActions, { description: 'The preventive tasks and long-term fixes, and the notes.' })
  preventiveActions(@Root() review: IncidentReview, @Ctx() { services }: GraphQLContext): Promise<ReviewPreventiveActions> {
    return services.reviewReader.preventiveActions(review);
  }

  @FieldResolver(() => [ReviewParticipantSection], { description: "Each participant's own written review, oldest first." })
  participantSections(@Root() review: IncidentReview, @Ctx() { services }: GraphQLContext): Promise<ReviewParticipantSection[]> {
    return services.reviewReader.participantSections(review);
  }

  @FieldResolver(() => [ReviewSection], { description: 'The required sections still missing; approval needs this empty.' })
  missingSections(@Root() review: IncidentReview, @Ctx() { services }: GraphQLContext): Promise<ReviewSection[]> {
    return services.reviewReader.missingSections(review);
  }

  @FieldResolver(() => ReviewEditConnection, { description: 'Every edit and lifecycle step, newest first: who, when, which section, what changed.', complexity: pageComplexity })
  async history(@Root() review: IncidentReview, @Ctx() { services }: GraphQLContext, @Args() args: ConnectionArgs): Promise<Connection<ReviewEdit>> {
    return toConnection(ReviewEditConnection, await services.reviewReader.history(review, args), args);
  }
}

@Resolver(() => ReviewComponentDowntime)
export class ReviewComponentDowntimeResolver {
  @FieldResolver(() => Service, { description: 'The component (a service).' })
  async service(@Root() row: ReviewComponentDowntime, @Ctx() { loaders }: GraphQLContext): Promise<Service> {
    const service = await loaders.service.load(row.serviceId);
    if (!service) throw notFound('service', row.serviceId);
    return service;
  }
}

@Resolver(() => Incident)
export class IncidentReviewResolver {
  @FieldResolver(() => IncidentReview, { nullable: true, description: 'The Incident Record File: null until opened (resolving FIXED opens it).' })
  review(@Root() incident: Incident, @Ctx() { loaders }: GraphQLContext): Promise<IncidentReview | null> {
    return loaders.review.load(incident.id);
  }
}

@Resolver(() => CauseCategory)
export class CauseCategoryResolver {
  @Authorized(Role.VIEWER)
  @Query(() => [CauseCategory], { description: 'The categories causes are filed under, in their order. Role: VIEWER.' })
  causeCategories(
    @Ctx() { services }: GraphQLContext,
    @Arg('includeArchived', () => Boolean, { defaultValue: false, description: 'Also the archived ones.' }) includeArchived: boolean,
  ): Promise<CauseCategory[]> {
    return services.causeCategories.list(includeArchived);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CauseCategoryPayload, { description: 'Adds a cause category (last unless a position is given). Audited. Role: ADMIN. BAD_USER_INPUT naming name (empty, too long, taken) or position.' })
  async createCauseCategory(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: INPUT }) input: CreateCauseCategoryInput): Promise<CauseCategoryPayload> {
    return { causeCategory: await services.causeCategories.create(input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CauseCategoryPayload, { description: 'Renames, describes, moves, archives or restores a cause category. Audited. Role: ADMIN. NOT_FOUND for an unknown id; BAD_USER_INPUT naming the field.' })
  async updateCauseCategory(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: INPUT }) input: UpdateCauseCategoryInput): Promise<CauseCategoryPayload> {
    return { causeCategory: await services.causeCategories.update(input, audit) };
  }
}

export const REVIEW_RESOLVERS = [ReviewResolver, ReviewComponentDowntimeResolver, IncidentReviewResolver, CauseCategoryResolver];
