import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { MaintenanceRecurrenceConnection } from '../schema/connections';
import { Role } from '../schema/enums';
import { MaintenanceRecurrence } from '../schema/maintenance-recurrence.entity';
import { CreateMaintenanceRecurrenceInput, UpdateMaintenanceRecurrenceInput } from '../schema/maintenance-recurrence.input';
import { MaintenanceServiceImpact, MaintenanceWindow } from '../schema/maintenance-window.entity';
import { RemoveInput } from '../schema/paging.input';
import { RemovedPayload } from '../schema/paging.payloads';
import { MaintenanceRecurrencePayload } from '../schema/payloads';
import { Team } from '../schema/team.entity';
import { pageComplexity } from './complexity';
import { ConnectionArgs } from './connection-args';
import type { GraphQLContext } from './context';

const INPUT = 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. zone, startTime, durationMinutes, weekdays).';

@Resolver(() => MaintenanceRecurrence)
export class MaintenanceRecurrenceResolver {
  @Authorized(Role.VIEWER)
  @Query(() => MaintenanceRecurrenceConnection, { complexity: pageComplexity, description: 'Recurring maintenance rules, oldest first (then by id), a page at a time (Relay connection). Role: VIEWER.' })
  async maintenanceRecurrences(@Ctx() { services }: GraphQLContext, @Args() args: ConnectionArgs): Promise<Connection<MaintenanceRecurrence>> {
    return toConnection(MaintenanceRecurrenceConnection, await services.maintenanceRecurrences.list(args), args);
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MaintenanceRecurrencePayload, {
    description:
      "Creates a weekly maintenance rule: the job creates its occurrences within the next horizonDays as ordinary windows (kind, warnings, notices as for scheduleMaintenance), announced by the caller. Audited. Role: RESPONDER. BAD_USER_INPUT naming the field for an unknown zone, a startTime not 'HH:mm', a duration outside 1–1440 minutes, no weekday, a horizon outside 1–90 days, an unknown service or team.",
  })
  async createMaintenanceRecurrence(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: INPUT }) input: CreateMaintenanceRecurrenceInput): Promise<MaintenanceRecurrencePayload> {
    return { maintenanceRecurrence: await services.maintenanceRecurrences.create(input, audit) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => MaintenanceRecurrencePayload, {
    description:
      'Changes a maintenance rule. Only occurrences not yet created follow the change (those after materialisedThrough); windows already created keep theirs (change them with updateMaintenance or cancelMaintenance). active: false stops creating occurrences. Audited. Role: RESPONDER. NOT_FOUND for an unknown id; BAD_USER_INPUT as for createMaintenanceRecurrence.',
  })
  async updateMaintenanceRecurrence(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: INPUT }) { id, ...patch }: UpdateMaintenanceRecurrenceInput): Promise<MaintenanceRecurrencePayload> {
    return { maintenanceRecurrence: await services.maintenanceRecurrences.update(id, patch, audit) };
  }

  @Authorized(Role.RESPONDER)
  @Mutation(() => RemovedPayload, { description: 'Deletes a maintenance rule; the windows it created stay, as ordinary windows (their recurrence becomes null). Audited. Role: RESPONDER. NOT_FOUND for an unknown id.' })
  async deleteMaintenanceRecurrence(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: INPUT }) input: RemoveInput): Promise<RemovedPayload> {
    await services.maintenanceRecurrences.remove(input.id, audit);
    return { removed: true };
  }

  @FieldResolver(() => [MaintenanceServiceImpact], { description: "The services each of its windows works on, each with its expected impact." })
  services(@Root() rule: MaintenanceRecurrence): MaintenanceServiceImpact[] {
    return rule.services.map(({ serviceId, impact }) => Object.assign(new MaintenanceServiceImpact(), { windowId: rule.id, serviceId, impact }));
  }

  @FieldResolver(() => Team, { nullable: true, description: 'The team running its windows; null if that team was deleted (the rule then creates nothing until given another).' })
  async team(@Root() rule: MaintenanceRecurrence, @Ctx() { loaders }: GraphQLContext): Promise<Team | null> {
    return rule.teamId ? loaders.team.load(rule.teamId) : null;
  }
}

@Resolver(() => MaintenanceWindow)
export class MaintenanceWindowRecurrenceResolver {
  @FieldResolver(() => MaintenanceRecurrence, { nullable: true, description: 'The recurring rule that created this window; null when it was scheduled by hand or its rule was deleted.' })
  async recurrence(@Root() window: MaintenanceWindow, @Ctx() { loaders }: GraphQLContext): Promise<MaintenanceRecurrence | null> {
    return window.recurrenceId ? loaders.maintenanceRecurrence.load(window.recurrenceId) : null;
  }
}

export const MAINTENANCE_RECURRENCE_RESOLVERS = [MaintenanceRecurrenceResolver, MaintenanceWindowRecurrenceResolver];
