import { Arg, Authorized, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { OnCallEvent, ScheduleEvent } from '../db/changes';
import { Role } from '../schema/enums';
import { Person } from '../schema/person.entity';
import { Schedule } from '../schema/schedule.entity';
import { OnCallChange, ScheduleUpdate } from '../schema/schedule.payloads';
import { requireUuid } from '../services/validation';
import type { GraphQLContext } from './context';
import { peopleIn } from './schedule.resolver';
import { AFTER, type Resumable } from './subscription-args';

const SCHEDULE_ID = 'The schedule to follow (a UUID; BAD_USER_INPUT otherwise).';

/**
 * Rotas live: onCallChanged carries who is on call as the change said (the handoff job or an edit decided it, once
 * across instances); scheduleUpdated re-reads the schedule when it is sent.
 */
@Resolver()
export class ScheduleSubscriptionResolver {
  @Authorized(Role.VIEWER)
  @Subscription(() => OnCallChange, {
    subscribe: ({ args, context }) => {
      const scheduleId = requireUuid('scheduleId', (args as { scheduleId: string }).scheduleId);
      return (context as GraphQLContext).changes.subscribe('ON_CALL_CHANGED', { filter: (change) => change.scheduleId === scheduleId, after: (args as Resumable).after });
    },
    description:
      "Who is on call in the schedule, whenever that changes: at every handoff instant of its resolved shifts (across DST; overrides start and end too) and after every edit of the schedule, its layers or overrides that changed who is on call now. One event per change across all instances, in order; a new shift of the person already on call is none. Role: VIEWER.",
  })
  onCallChanged(
    @Root() change: OnCallEvent,
    @Arg('scheduleId', () => ID, { description: SCHEDULE_ID }) _scheduleId: string,
    @Arg('after', () => String, { nullable: true, description: AFTER }) _after?: string,
  ): OnCallChange {
    return { scheduleId: change.scheduleId, at: new Date(change.at), primaryIds: change.primary, backupIds: change.backups };
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => ScheduleUpdate, {
    subscribe: ({ args, context }) => {
      const scheduleId = requireUuid('scheduleId', (args as { scheduleId: string }).scheduleId);
      return (context as GraphQLContext).changes.subscribe('SCHEDULE_UPDATED', {
        filter: (change) => change.scheduleId === scheduleId,
        key: (change) => change.scheduleId,
        after: (args as Resumable).after,
      });
    },
    description:
      'Every edit of the schedule, its layers or its overrides, after commit, whether or not it changed who is on call (onCallChanged says that): at least one event per edit, with the schedule as it is when sent; the last one says when it was deleted. Role: VIEWER.',
  })
  scheduleUpdated(
    @Root() change: ScheduleEvent,
    @Arg('scheduleId', () => ID, { description: SCHEDULE_ID }) _scheduleId: string,
    @Arg('after', () => String, { nullable: true, description: AFTER }) _after?: string,
  ): ScheduleUpdate {
    return { scheduleId: change.scheduleId, deleted: change.deleted };
  }
}

@Resolver(() => OnCallChange)
export class OnCallChangeResolver {
  @FieldResolver(() => Person, { nullable: true, description: 'Who is on call from `at` on; null when nobody is (a gap in the rota).' })
  async primary(@Root() change: OnCallChange, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    const [person] = await peopleIn(loaders, change.primaryIds);
    return person ?? null;
  }

  @FieldResolver(() => [Person], { description: "Paged after the primary, in this order (the schedule's backups, less the primary)." })
  backups(@Root() change: OnCallChange, @Ctx() { loaders }: GraphQLContext): Promise<Person[]> {
    return peopleIn(loaders, change.backupIds);
  }

  @FieldResolver(() => Schedule, { nullable: true, description: 'The schedule as it is when the event is sent; null once deleted.' })
  schedule(@Root() change: OnCallChange, @Ctx() { loaders }: GraphQLContext): Promise<Schedule | null> {
    return loaders.schedule.load(change.scheduleId);
  }
}

@Resolver(() => ScheduleUpdate)
export class ScheduleUpdateResolver {
  @FieldResolver(() => Schedule, { nullable: true, description: 'The schedule as it is when the event is sent; null once deleted.' })
  schedule(@Root() update: ScheduleUpdate, @Ctx() { loaders }: GraphQLContext): Promise<Schedule | null> {
    return loaders.schedule.load(update.scheduleId);
  }
}

/** Every resolver of this file, for src/resolvers/index.ts. */
export const SCHEDULE_SUBSCRIPTION_RESOLVERS = [OnCallChangeResolver, ScheduleSubscriptionResolver, ScheduleUpdateResolver] as const;
