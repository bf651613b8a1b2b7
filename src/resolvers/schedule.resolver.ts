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
  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20); outside that is BAD_USER_INPUT naming `first`.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The previous page\'s pageInfo.endCursor, to get the page after it; a cursor the server did not issue is BAD_USER_INPUT naming `after`.' })
  after?: string | null;
}

/** People by id, in the given order, skipping any that no longer exist. */
export async function peopleIn(loaders: Loaders, ids: readonly string[]): Promise<Person[]> {
  const people = await loaders.person.loadMany(ids);
  return people.filter((person): person is Person => person !== null && !(person instanceof Error));
}

@Resolver(() => Schedule)
export class ScheduleResolver {
  @Authorized(Role.VIEWER)
  @Query(() => ScheduleConnection, { description: 'On-call schedules by name, a page at a time. Role: VIEWER.', complexity: pageComplexity })
  async schedules(@Ctx() { services }: GraphQLContext, @Args() args: SchedulesArgs): Promise<Connection<Schedule>> {
    return toConnection(ScheduleConnection, await services.scheduleStore.list(args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => Schedule, { description: 'One on-call schedule by id. Role: VIEWER. BAD_USER_INPUT for an id that is not a UUID; NOT_FOUND when no schedule has it.' })
  schedule(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID, { description: "The schedule's id (a UUID)." }) id: string): Promise<Schedule> {
    return services.scheduleStore.get(id);
  }

  @Authorized(Role.VIEWER)
  @Query(() => [Person], {
    description:
      'Who to page at `at` (default now): the person on call (none in a gap), then the backups in order. Role: VIEWER. NOT_FOUND for an unknown schedule; BAD_USER_INPUT for an id that is not a UUID.',
  })
  async whoIsOnCall(
    @Ctx() { services, loaders }: GraphQLContext,
    @Arg('scheduleId', () => ID, { description: 'The schedule to ask (a UUID).' }) scheduleId: string,
    @Arg('at', () => Date, { nullable: true, description: 'The instant to ask about (UTC); now when not given.' }) at?: Date | null,
  ): Promise<Person[]> {
    const { primary, backups } = await services.onCall.whoIsOnCall(scheduleId, at ?? undefined, loaders.schedule);
    return peopleIn(loaders, [...primary, ...backups]);
  }

  @Authorized(Role.VIEWER)
  @Query(() => ScheduleTimeline, {
    description: 'The final on-call timeline in [from, to) (at most 100 days): layers, restrictions and overrides applied, with gaps. Role: VIEWER. NOT_FOUND for an unknown schedule; BAD_USER_INPUT when to is before from or more than 100 days after it, or the schedule changes hands too often in the range (the message says how many days fit); QUERY_TOO_COMPLEX past the operation\'s share of timeline pieces.',
    complexity: timelineComplexity,
  })
  shifts(
    @Ctx() { services, budget, loaders }: GraphQLContext,
    @Arg('scheduleId', () => ID, { description: 'The schedule to resolve (a UUID).' }) scheduleId: string,
    @Arg('from', () => Date, { description: 'Start of the range, included (UTC).' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the range, excluded (UTC); at most 100 days after from.' }) to: Date,
  ): Promise<ScheduleTimeline> {
    return services.onCall.shifts(scheduleId, from, to, budget.work, loaders.schedule);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SchedulePayload, {
    description:
      'A new on-call schedule in an IANA time zone, with its layers (1 to 20) and backups. Role: ADMIN. BAD_USER_INPUT (naming the field) for an empty name, an unknown time zone, an invalid layer or a person that does not exist.',
  })
  async createSchedule(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: CreateScheduleInput): Promise<SchedulePayload> {
    return { schedule: await services.schedules.create(input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SchedulePayload, {
    description:
      'Renames a schedule, moves it to another time zone (handoffs stay at their local clock times) or replaces its backups; fields not given stay. Role: ADMIN. NOT_FOUND for an unknown id; BAD_USER_INPUT as for createSchedule.',
  })
  async updateSchedule(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) { id, ...patch }: UpdateScheduleInput): Promise<SchedulePayload> {
    return { schedule: await services.schedules.update(id, patch, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => DeleteSchedulePayload, { description: 'Deletes the schedule with its layers and overrides. Role: ADMIN. NOT_FOUND for an unknown id.' })
  async deleteSchedule(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: DeleteScheduleInput): Promise<DeleteSchedulePayload> {
    return { deletedScheduleId: await services.schedules.remove(input.id, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ScheduleLayerPayload, {
    description: 'Adds a layer after the others; where layers overlap, the one with the higher priority covers wherever it has somebody on call. Role: ADMIN. NOT_FOUND for an unknown schedule; BAD_USER_INPUT for an invalid layer, a participant that does not exist, or a 21st layer.',
  })
  addScheduleLayer(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: AddScheduleLayerInput): Promise<ScheduleLayerPayload> {
    return services.schedules.addLayer(input.scheduleId, input.layer, audit);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ScheduleLayerPayload, {
    description: 'Changes the fields given of one layer; the others stay. Role: ADMIN. NOT_FOUND for an unknown layer; BAD_USER_INPUT for an invalid result or a participant that does not exist.',
  })
  updateScheduleLayer(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) { id, ...patch }: UpdateScheduleLayerInput): Promise<ScheduleLayerPayload> {
    return services.schedules.updateLayer(id, patch, audit);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SchedulePayload, { description: 'Removes a layer; a schedule keeps at least one (removing its last is BAD_USER_INPUT: delete the schedule instead). Role: ADMIN. NOT_FOUND for an unknown layer.' })
  async removeScheduleLayer(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: RemoveScheduleLayerInput): Promise<SchedulePayload> {
    return { schedule: await services.schedules.removeLayer(input.id, audit) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => ScheduleOverridePayload, {
    description:
      'Puts a person on call from start to end (a holiday cover, a swap); where overrides overlap the newest wins. Role: RESPONDER. NOT_FOUND for an unknown schedule; BAD_USER_INPUT when end is not after start or personId names nobody.',
  })
  createScheduleOverride(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: CreateScheduleOverrideInput): Promise<ScheduleOverridePayload> {
    return services.schedules.createOverride(input, audit);
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => DeleteScheduleOverridePayload, { description: 'Removes an override: the layers decide again for its time. Role: RESPONDER. NOT_FOUND for an unknown id.' })
  deleteScheduleOverride(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: DeleteScheduleOverrideInput): Promise<DeleteScheduleOverridePayload> {
    return services.schedules.deleteOverride(input.id, audit);
  }

  @FieldResolver(() => [Person], { description: 'Paged after the person on call, in this order.' })
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
    @Arg('from', () => Date, { nullable: true, description: 'Start of the range, included (UTC); open towards the past when only to is given, now when neither is.' }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'End of the range, excluded (UTC); open-ended when not given.' }) to?: Date | null,
  ): Promise<ScheduleOverride[]> {
    return loaders.scheduleOverrides(from, to).load(schedule.id);
  }

  @FieldResolver(() => [ScheduleGap], { description: 'Where nobody is on call in [from, to) (at most 100 days).', complexity: timelineComplexity })
  async gaps(
    @Root() schedule: Schedule,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('from', () => Date, { description: 'Start of the range, included (UTC).' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the range, excluded (UTC); at most 100 days after from.' }) to: Date,
  ): Promise<ScheduleGap[]> {
    return loaders.scheduleGaps(from, to).load(schedule);
  }

  @FieldResolver(() => [ScheduleWarning], { description: 'Coverage gaps in the next 14 days, from now.', complexity: ({ childComplexity }) => costOfDays(WARNING_HORIZON_DAYS, childComplexity) })
  warnings(@Root() schedule: Schedule, @Ctx() { loaders }: GraphQLContext): Promise<ScheduleWarning[]> {
    return loaders.scheduleWarnings.load(schedule);
  }
}

@Resolver(() => ScheduleLayer)
export class ScheduleLayerResolver {
  @FieldResolver(() => [Person], { description: 'The people this layer rotates through, in rotation order.' })
  participants(@Root() layer: ScheduleLayer, @Ctx() { loaders }: GraphQLContext): Promise<Person[]> {
    return peopleIn(loaders, layer.participantIds);
  }
}

@Resolver(() => ScheduleOverride)
export class ScheduleOverrideResolver {
  @FieldResolver(() => Person, { description: 'Who is on call while the override lasts.' })
  async person(@Root() override: ScheduleOverride, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return loaders.person.load(override.personId);
  }
}

@Resolver(() => ScheduleShift)
export class ScheduleShiftResolver {
  @FieldResolver(() => Person, { description: 'Who is on call during the shift.' })
  async person(@Root() shift: ScheduleShift, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return loaders.person.load(shift.personId);
  }
}

/** Every resolver of this file, for src/resolvers/index.ts. */
export const SCHEDULE_RESOLVERS = [ScheduleLayerResolver, ScheduleOverrideResolver, ScheduleResolver, ScheduleShiftResolver] as const;
