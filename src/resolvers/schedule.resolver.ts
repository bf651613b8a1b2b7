import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { ScheduleConnection } from '../schema/connections';
import { Role } from '../schema/enums';
import { Person } from '../schema/person.entity';
import { Schedule, ScheduleGap, ScheduleLayer, ScheduleOverride, ScheduleShift, ScheduleTimeline, ScheduleWarning } from '../schema/schedule.entity';
import {
  AddScheduleLayerInput,
  CreateScheduleInput,
  CreateScheduleOverrideInput,
  DeleteScheduleInput,
  DeleteScheduleOverrideInput,
  RemoveScheduleLayerInput,
  UpdateScheduleInput,
  UpdateScheduleLayerInput,
} from '../schema/schedule.input';
import {
  DeleteScheduleOverridePayload,
  DeleteSchedulePayload,
  ScheduleLayerPayload,
  ScheduleOverridePayload,
  SchedulePayload,
} from '../schema/schedule.payloads';
import { WARNING_HORIZON_DAYS } from '../services/on-call.service';
import { costOfDays, pageComplexity, timelineComplexity } from './complexity';
import type { GraphQLContext } from './context';
import type { Loaders } from './loaders';

@ArgsType()
class SchedulesArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

/** People by id, in the given order, skipping any that no longer exist. */
async function peopleIn(loaders: Loaders, ids: readonly string[]): Promise<Person[]> {
  const people = await loaders.person.loadMany(ids);
  return people.filter((person): person is Person => person !== null && !(person instanceof Error));
}

@Resolver(() => Schedule)
export class ScheduleResolver {
  @Authorized(Role.VIEWER)
  @Query(() => ScheduleConnection, { description: 'On-call schedules by name.', complexity: pageComplexity })
  async schedules(@Ctx() { services }: GraphQLContext, @Args() args: SchedulesArgs): Promise<Connection<Schedule>> {
    return toConnection(ScheduleConnection, await services.scheduleStore.list(args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => Schedule)
  schedule(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Schedule> {
    return services.scheduleStore.get(id);
  }

  @Authorized(Role.VIEWER)
  @Query(() => [Person], { description: 'Who to page at `at` (default now): the person on call (none in a gap), then the backups in order.' })
  async whoIsOnCall(
    @Ctx() { services, loaders }: GraphQLContext,
    @Arg('scheduleId', () => ID) scheduleId: string,
    @Arg('at', () => Date, { nullable: true }) at?: Date | null,
  ): Promise<Person[]> {
    const { primary, backups } = await services.onCall.whoIsOnCall(scheduleId, at ?? undefined);
    return peopleIn(loaders, [...primary, ...backups]);
  }

  @Authorized(Role.VIEWER)
  @Query(() => ScheduleTimeline, {
    description: 'The final on-call timeline in [from, to) (at most 100 days): layers, restrictions and overrides applied, with gaps.',
    complexity: timelineComplexity,
  })
  shifts(
    @Ctx() { services, budget }: GraphQLContext,
    @Arg('scheduleId', () => ID) scheduleId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
  ): Promise<ScheduleTimeline> {
    return services.onCall.shifts(scheduleId, from, to, budget.work);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SchedulePayload)
  async createSchedule(@Ctx() { services }: GraphQLContext, @Arg('input') input: CreateScheduleInput): Promise<SchedulePayload> {
    return { schedule: await services.schedules.create(input) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SchedulePayload)
  async updateSchedule(@Ctx() { services }: GraphQLContext, @Arg('input') { id, ...patch }: UpdateScheduleInput): Promise<SchedulePayload> {
    return { schedule: await services.schedules.update(id, patch) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => DeleteSchedulePayload, { description: 'Deletes the schedule with its layers and overrides.' })
  async deleteSchedule(@Ctx() { services }: GraphQLContext, @Arg('input') input: DeleteScheduleInput): Promise<DeleteSchedulePayload> {
    return { deletedScheduleId: await services.schedules.remove(input.id) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ScheduleLayerPayload)
  addScheduleLayer(@Ctx() { services }: GraphQLContext, @Arg('input') input: AddScheduleLayerInput): Promise<ScheduleLayerPayload> {
    return services.schedules.addLayer(input.scheduleId, input.layer);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ScheduleLayerPayload)
  updateScheduleLayer(@Ctx() { services }: GraphQLContext, @Arg('input') { id, ...patch }: UpdateScheduleLayerInput): Promise<ScheduleLayerPayload> {
    return services.schedules.updateLayer(id, patch);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SchedulePayload, { description: 'A schedule keeps at least one layer.' })
  async removeScheduleLayer(@Ctx() { services }: GraphQLContext, @Arg('input') input: RemoveScheduleLayerInput): Promise<SchedulePayload> {
    return { schedule: await services.schedules.removeLayer(input.id) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => ScheduleOverridePayload, { description: 'Puts a person on call from start to end; where overrides overlap the newest wins.' })
  createScheduleOverride(@Ctx() { services }: GraphQLContext, @Arg('input') input: CreateScheduleOverrideInput): Promise<ScheduleOverridePayload> {
    return services.schedules.createOverride(input);
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => DeleteScheduleOverridePayload)
  deleteScheduleOverride(@Ctx() { services }: GraphQLContext, @Arg('input') input: DeleteScheduleOverrideInput): Promise<DeleteScheduleOverridePayload> {
    return services.schedules.deleteOverride(input.id);
  }

  @FieldResolver(() => [Person], { description: 'Paged after the primary, in order.' })
  backups(@Root() schedule: Schedule, @Ctx() { loaders }: GraphQLContext): Promise<Person[]> {
    return peopleIn(loaders, schedule.backupPersonIds);
  }

  @FieldResolver(() => [ScheduleOverride], {
    description: 'Overrides overlapping [from, to); without from and to, those not yet ended. Oldest first, at most 1000.',
    complexity: ({ childComplexity }) => 1 + 100 * childComplexity,
  })
  overrides(
    @Root() schedule: Schedule,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
  ): Promise<ScheduleOverride[]> {
    return loaders.scheduleOverrides(from, to).load(schedule.id);
  }

  @FieldResolver(() => [ScheduleGap], { description: 'Where nobody is on call in [from, to) (at most 100 days).', complexity: timelineComplexity })
  async gaps(
    @Root() schedule: Schedule,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
  ): Promise<ScheduleGap[]> {
    return loaders.scheduleGaps(from, to).load(schedule);
  }

  @FieldResolver(() => [ScheduleWarning], { description: 'Coverage gaps in the next 14 days.', complexity: ({ childComplexity }) => costOfDays(WARNING_HORIZON_DAYS, childComplexity) })
  warnings(@Root() schedule: Schedule, @Ctx() { loaders }: GraphQLContext): Promise<ScheduleWarning[]> {
    return loaders.scheduleWarnings.load(schedule);
  }
}

@Resolver(() => ScheduleLayer)
export class ScheduleLayerResolver {
  @FieldResolver(() => [Person], { description: 'In rotation order.' })
  participants(@Root() layer: ScheduleLayer, @Ctx() { loaders }: GraphQLContext): Promise<Person[]> {
    return peopleIn(loaders, layer.participantIds);
  }
}

@Resolver(() => ScheduleOverride)
export class ScheduleOverrideResolver {
  @FieldResolver(() => Person)
  async person(@Root() override: ScheduleOverride, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return loaders.person.load(override.personId);
  }
}

@Resolver(() => ScheduleShift)
export class ScheduleShiftResolver {
  @FieldResolver(() => Person)
  async person(@Root() shift: ScheduleShift, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return loaders.person.load(shift.personId);
  }
}

/** Every resolver of this file, for src/resolvers/index.ts. */
export const SCHEDULE_RESOLVERS = [ScheduleLayerResolver, ScheduleOverrideResolver, ScheduleResolver, ScheduleShiftResolver] as const;
