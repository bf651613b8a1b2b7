import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../schema/enums';
import { Person } from '../schema/person.entity';
import { ReviewSettings, ReviewSettingsPayload, UpdateReviewSettingsInput } from '../schema/review-settings';
import type { GraphQLContext } from './context';

@Resolver(() => ReviewSettings)
export class ReviewSettingsResolver {
  @Authorized(Role.VIEWER)
  @Query(() => ReviewSettings, { description: 'How post-incident reviews are followed up (the ones set by updateReviewSettings, else the configured ones). Role: VIEWER.' })
  reviewSettings(@Ctx() { services }: GraphQLContext): Promise<ReviewSettings> {
    return services.reviewSettings.current();
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ReviewSettingsPayload, {
    description: 'Changes how reviews are followed up; due dates already given stay. Audited. Role: ADMIN. BAD_USER_INPUT naming dueBusinessDays (outside 1 to 60) or reviewerId (not a person).',
  })
  async updateReviewSettings(
    @Ctx() { services, audit }: GraphQLContext,
    @Arg('input', { description: 'What to change; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field.' }) input: UpdateReviewSettingsInput,
  ): Promise<ReviewSettingsPayload> {
    return { settings: await services.reviewSettings.update(input, audit) };
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Who an overdue follow-up escalates to (it goes to the incident owner too); null: the next step of the service’s escalation policy after the owner.' })
  async reviewer(@Root() settings: ReviewSettings, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return settings.reviewerId ? loaders.person.load(settings.reviewerId) : null;
  }
}
