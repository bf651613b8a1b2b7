import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { MaintenanceChange } from '../db/changes';
import { Alert } from '../schema/alert.entity';
import { toConnection, type Connection } from '../schema/connection';
import { MaintenanceWindowConnection } from '../schema/connections';
import { Role } from '../schema/enums';
import { Incident } from '../schema/incident.entity';
import {
  CancelMaintenanceInput,
  ExtendMaintenanceInput,
  MaintenanceIdInput,
  MaintenanceWindowFilter,
  PostMaintenanceUpdateInput,
  ScheduleMaintenanceInput,
  UpdateMaintenanceCalendarInput,
  UpdateMaintenanceInput,
} from '../schema/maintenance.input';
import { MaintenanceCalendar, MaintenanceEvent, MaintenanceServiceImpact, MaintenanceWindow } from '../schema/maintenance-window.entity';
import { MaintenanceCalendarPayload, MaintenanceUpdatePayload, MaintenanceWindowPayload } from '../schema/payloads';
import { Service } from '../schema/service.entity';
import { Team } from '../schema/team.entity';
import { notFound } from '../shared/domain-error';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';
import { AFTER, type Resumable } from './subscription-args';

const INPUT = 'What to do; when it is invalid, BAD_USER_INPUT (or CONFLICT) names the field at fault in extensions.field (e.g. endsAt, serviceIds[0]).';

@ArgsType()
class MaintenanceWindowsArgs {
  @Field(() => MaintenanceWindowFilter, { nullable: true, description: 'Only windows matching every field given; all windows without it.' })
  filter?: MaintenanceWindowFilter | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20); outside that is BAD_USER_INPUT naming `first`.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The previous page's pageInfo.endCursor, to get the page after it; a cursor the server did not issue is BAD_USER_INPUT naming `after`." })
  after?: string | null;
}

@Resolver(() => MaintenanceWindow)
export class MaintenanceResolver {
  @Authorized(Role.VIEWER)
  @Query(() => MaintenanceWindow, { description: 'One maintenance window by id. Role: VIEWER. BAD_USER_INPUT for an id that is not a UUID; NOT_FOUND when no window has it.' })
  maintenanceWindow(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID, { description: "The window's id (a UUID)." }) id: string): Promise<MaintenanceWindow> {
    return services.maintenance.get(id);
  }

  @Authorized(Role.VIEWER)
  @Query(() => MaintenanceWindowConnection, { complexity: pageComplexity, description: 'Maintenance windows matching the filter, earliest start first (then by id), a page at a time (Relay connection). Role: VIEWER.' })
  async maintenanceWindows(@Ctx() { services }: GraphQLContext, @Args() args: MaintenanceWindowsArgs): Promise<Connection<MaintenanceWindow>> {
    return toConnection(MaintenanceWindowConnection, await services.maintenance.list(args.filter ?? {}, args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => MaintenanceCalendar, { description: 'The business-day calendar new maintenance windows are classified with (the one set by updateMaintenanceCalendar, else the configured one). Role: VIEWER.' })
  maintenanceCalendar(@Ctx() { services }: GraphQLContext): Promise<MaintenanceCalendar> {
    return services.maintenanceCalendar.current();
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MaintenanceWindowPayload, {
    description:
      'Announces a maintenance window: SCHEDULED, PLANNED when announced at least 10 business days before it starts (else EMERGENCY), OUTSIDE_OFF_PEAK when it runs outside a service\'s off-peak hours; its team is told. Role: RESPONDER. BAD_USER_INPUT naming the field for an empty title, endsAt not after startsAt, a window in the past, an unknown service or team.',
  })
  async scheduleMaintenance(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: ScheduleMaintenanceInput): Promise<MaintenanceWindowPayload> {
    return { maintenanceWindow: await services.maintenance.schedule(actor, input) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MaintenanceWindowPayload, {
    description:
      'Reschedules or edits a window that has not ended; moving it earlier re-derives its kind (a planned window can become an emergency; the timeline says so). Role: RESPONDER. NOT_FOUND for an unknown id; CONFLICT naming id for a COMPLETED or CANCELLED window, startsAt for a running one; BAD_USER_INPUT as for scheduleMaintenance.',
  })
  async updateMaintenance(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) { id, ...patch }: UpdateMaintenanceInput): Promise<MaintenanceWindowPayload> {
    return { maintenanceWindow: await services.maintenance.update(actor, id, patch) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MaintenanceWindowPayload, { description: 'Starts a SCHEDULED window now (early); the job starts it at startsAt otherwise. Role: RESPONDER. CONFLICT naming id unless it is SCHEDULED.' })
  async startMaintenance(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: MaintenanceIdInput): Promise<MaintenanceWindowPayload> {
    return { maintenanceWindow: await services.maintenance.start(actor, input.id) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MaintenanceWindowPayload, { description: 'Moves the end of a window that has not ended later, with a reason; its team is told. Role: RESPONDER. CONFLICT naming id for an ended window; BAD_USER_INPUT naming newEndsAt when it is not later than the current end or is in the past.' })
  async extendMaintenance(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: ExtendMaintenanceInput): Promise<MaintenanceWindowPayload> {
    return { maintenanceWindow: await services.maintenance.extend(actor, input.id, input.newEndsAt, input.reason) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MaintenanceUpdatePayload, {
    description:
      "Posts a status update on a window that has not ended, on its timeline; on a window in progress it meets the hourly maintenance update obligation (MAINTENANCE_UPDATE) and the next one is due an hour later (the policy's maintenanceUpdateMinutes). Role: RESPONDER. NOT_FOUND for an unknown id; CONFLICT naming id for a COMPLETED or CANCELLED window; BAD_USER_INPUT naming body when it is empty or longer than 10,000 characters.",
  })
  async postMaintenanceUpdate(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: PostMaintenanceUpdateInput): Promise<MaintenanceUpdatePayload> {
    const { window, event } = await services.maintenance.postUpdate(actor, input.id, input.body);
    return { maintenanceWindow: window, update: event };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MaintenanceWindowPayload, { description: 'Ends a running window now: alerts still firing on its services are re-evaluated at once (they open or join incidents and page). Role: RESPONDER. CONFLICT naming id unless it is IN_PROGRESS.' })
  async completeMaintenance(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: MaintenanceIdInput): Promise<MaintenanceWindowPayload> {
    return { maintenanceWindow: await services.maintenance.complete(actor, input.id) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MaintenanceWindowPayload, { description: 'Calls off a window that has not ended, with a reason; a running one ends as completeMaintenance does. Role: RESPONDER. CONFLICT naming id for an ended window.' })
  async cancelMaintenance(@Ctx() { services, actor }: GraphQLContext, @Arg('input', { description: INPUT }) input: CancelMaintenanceInput): Promise<MaintenanceWindowPayload> {
    return { maintenanceWindow: await services.maintenance.cancel(actor, input.id, input.reason) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => MaintenanceCalendarPayload, { description: 'Changes the business-day calendar new windows are classified with; existing windows keep theirs. Audited. Role: ADMIN. BAD_USER_INPUT naming region, extraDates[i] or zone.' })
  async updateMaintenanceCalendar(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: INPUT }) input: UpdateMaintenanceCalendarInput): Promise<MaintenanceCalendarPayload> {
    return { calendar: await services.maintenanceCalendar.update(input, audit) };
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => MaintenanceWindow, {
    subscribe: ({ args, context }) =>
      (context as GraphQLContext).changes.subscribe('MAINTENANCE_UPDATED', {
        filter: (change) => !(args as { id?: string | null }).id || change.windowId === (args as { id?: string | null }).id,
        key: (change) => change.windowId,
        after: (args as Resumable).after,
      }),
    description: 'A maintenance window was scheduled or changed (rescheduled, started, extended, completed, cancelled), after its transaction committed, with the state when it is sent. Role: VIEWER.',
  })
  async maintenanceUpdated(
    @Root() change: MaintenanceChange,
    @Ctx() { loaders }: GraphQLContext,
    @Arg('id', () => ID, { nullable: true, description: 'Only this window; every window without it.' }) _id?: string,
    @Arg('after', () => String, { nullable: true, description: AFTER }) _after?: string,
  ): Promise<MaintenanceWindow> {
    const window = await loaders.maintenanceWindow.load(change.windowId);
    if (!window) throw notFound('maintenance window', change.windowId);
    return window;
  }

  @FieldResolver(() => Team, { nullable: true, description: 'The team running it; null if that team was deleted.' })
  async team(@Root() window: MaintenanceWindow, @Ctx() { loaders }: GraphQLContext): Promise<Team | null> {
    return window.teamId ? loaders.team.load(window.teamId) : null;
  }

  @FieldResolver(() => [MaintenanceServiceImpact], { description: 'The services worked on, each with its expected impact.' })
  services(@Root() window: MaintenanceWindow, @Ctx() { loaders }: GraphQLContext): Promise<MaintenanceServiceImpact[]> {
    return loaders.maintenanceServices.load(window.id);
  }

  @FieldResolver(() => [MaintenanceEvent], { description: "The window's own timeline, oldest first (at most 500 events): every change with its actor." })
  timeline(@Root() window: MaintenanceWindow, @Ctx() { loaders }: GraphQLContext): Promise<MaintenanceEvent[]> {
    return loaders.maintenanceTimeline.load(window.id);
  }

  @FieldResolver(() => Incident, { nullable: true, description: 'The incident the window opened when it started (a service expected a MAJOR_OUTAGE); null otherwise.' })
  async incident(@Root() window: MaintenanceWindow, @Ctx() { loaders }: GraphQLContext): Promise<Incident | null> {
    return window.incidentId ? loaders.incident.load(window.incidentId) : null;
  }
}

@Resolver(() => MaintenanceServiceImpact)
export class MaintenanceServiceImpactResolver {
  @FieldResolver(() => Service, { description: 'The service.' })
  async service(@Root() row: MaintenanceServiceImpact, @Ctx() { loaders }: GraphQLContext): Promise<Service> {
    const service = await loaders.service.load(row.serviceId);
    if (!service) throw notFound('service', row.serviceId);
    return service;
  }
}

@Resolver(() => Alert)
export class AlertSuppressionResolver {
  @FieldResolver(() => MaintenanceWindow, { nullable: true, description: 'The maintenance window in progress when the alert was recorded (it was suppressed: no incident, no page); null otherwise.' })
  async suppressedBy(@Root() alert: Alert, @Ctx() { loaders }: GraphQLContext): Promise<MaintenanceWindow | null> {
    return alert.suppressedById ? loaders.maintenanceWindow.load(alert.suppressedById) : null;
  }
}
