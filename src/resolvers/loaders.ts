import DataLoader from 'dataloader';
import type { Alert } from '../schema/alert.entity';
import type { CommunicationObligation, IncidentCall, IncidentCommunication } from '../schema/communication.entity';
import type { ContactMethod, NotificationRule } from '../schema/contact-method.entity';
import type { EscalationPolicy } from '../schema/escalation-policy.entity';
import type { Incident } from '../schema/incident.entity';
import type { MaintenanceRecurrence } from '../schema/maintenance-recurrence.entity';
import type { MaintenanceEvent, MaintenanceServiceImpact, MaintenanceWindow } from '../schema/maintenance-window.entity';
import type { MitigationStep } from '../schema/mitigation-step.entity';
import type { Team } from '../schema/team.entity';
import type { IncidentEscalation, Notification } from '../schema/notification.entity';
import type { Person } from '../schema/person.entity';
import type { Schedule, ScheduleGap, ScheduleOverride, ScheduleWarning } from '../schema/schedule.entity';
import type { Service } from '../schema/service.entity';
import { TaskKind } from '../schema/enums';
import type { Task } from '../schema/task.entity';
import type { Integration } from '../schema/integration.entity';
import type { IncidentReview } from '../schema/incident-review.entity';
import type { RcaDocument } from '../schema/rca.entity';
import type { TimelineEvent } from '../schema/timeline-event.entity';
import type { Services } from '../services';
import type { StatusSubscriberCountsView } from '../services/status/subscriber.service';
import type { StatusFeedState } from '../services/status-feed.service';
import { WorkBudget } from '../shared/work-budget';
import type { NotificationFilter } from '../services/notification-query.service';
import type { DeliveryFilter } from '../services/integration-delivery.service';
import type { IntegrationDelivery } from '../schema/integration-delivery.type';
import type { Page, PageArgs } from '../shared/page';

export type Loaders = ReturnType<typeof createLoaders>;

function byId<T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>, options: LoaderOptions) {
  return new DataLoader<string, T | null>(async (ids) => {
    // Without a cache the same id comes once per caller (every subscriber of one change): read it once.
    const rows = new Map((await load([...new Set(ids)])).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  }, options);
}

function groupedBy<T>(load: (ids: readonly string[]) => Promise<T[]>, key: (row: T) => string, options: LoaderOptions) {
  return new DataLoader<string, T[]>(async (ids) => {
    const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of await load([...groups.keys()])) groups.get(key(row))?.push(row);
    return ids.map((id) => groups.get(id) ?? []);
  }, options);
}

/** `cache: false` still batches the loads of one tick but remembers nothing after it (subscriptions, event after event). */
interface LoaderOptions {
  cache: boolean;
}

interface RequestOptions extends LoaderOptions {
  /** What the request may still spend on resolving on-call timelines. */
  work?: WorkBudget;
}

/** Per-request batch loaders, so listing N incidents with their relations costs a bounded number of statements. */
export function createLoaders(services: Services, { cache, work = WorkBudget.unlimited() }: RequestOptions = { cache: true }) {
  const options: LoaderOptions = { cache };
  const timelineByLimit = new Map<number, DataLoader<string, TimelineEvent[]>>();
  const overridesByWindow = new Map<string, DataLoader<string, ScheduleOverride[]>>();
  const gapsByWindow = new Map<string, DataLoader<Schedule, ScheduleGap[], string>>();
  const notificationPagesByArgs = new Map<string, DataLoader<string, Page<Notification>>>();
  const notificationCountsByFilter = new Map<string, DataLoader<string, number>>();
  const deliveryPagesByArgs = new Map<string, DataLoader<string, Page<IntegrationDelivery>>>();
  const deliveryCountsByFilter = new Map<string, DataLoader<string, number>>();
  const windowKey = (from?: Date | null, to?: Date | null) => `${from?.toISOString() ?? ''}/${to?.toISOString() ?? ''}`;
  return {
    componentImpacts: groupedBy((ids) => services.incidentQueries.componentImpacts(ids), (row) => row.incidentId, options),
    alert: byId<Alert>((ids) => services.alertQueries.byIds(ids), options),
    incident: byId<Incident>((ids) => services.incidentQueries.byIds(ids), options),
    timelineEvent: byId<TimelineEvent>((ids) => services.timeline.byIds(ids), options),
    integration: byId<Integration>((ids) => services.integrations.byIds(ids), options),
    service: byId<Service>((ids) => services.catalog.servicesByIds(ids), options),
    /** A STATUS_FEED integration's poll state by integration id (null before its first poll). */
    statusFeedStatus: new DataLoader<string, StatusFeedState | null>(async (ids) => {
      const states = new Map((await services.statusFeeds.statesOf(ids)).map((state) => [state.integrationId, state]));
      return ids.map((id) => states.get(id) ?? null);
    }, options),
    person: byId<Person>((ids) => services.catalog.peopleByIds(ids), options),
    /** Hydrated schedules (layers, participants, backups), shared by every field of the request that resolves one. */
    schedule: byId<Schedule>((ids) => services.scheduleStore.byIds(ids), options),
    task: byId<Task>((ids) => services.tasks.byIds(ids), options),
    /** Each incident's IRF by incident id (null until opened). */
    review: new DataLoader<string, IncidentReview | null>(async (incidentIds) => {
      const byIncident = new Map((await services.reviews.byIncidentIds(incidentIds)).map((review) => [review.incidentId, review]));
      return incidentIds.map((id) => byIncident.get(id) ?? null);
    }, options),
    /** Each incident's RCA by incident id (null until generated). */
    rca: new DataLoader<string, RcaDocument | null>(async (incidentIds) => {
      const byIncident = new Map((await services.rcas.byIncidentIds(incidentIds)).map((rca) => [rca.incidentId, rca]));
      return incidentIds.map((id) => byIncident.get(id) ?? null);
    }, options),
    rcaSections: groupedBy((ids) => services.rcas.sectionsOfRcas(ids), (row) => row.rcaId, options),
    taskKind: new DataLoader<string, TaskKind>(async (ids) => {
      const kinds = await services.tasks.kindsOf([...new Set(ids)]);
      return ids.map((id) => kinds.get(id) ?? TaskKind.PREVENTIVE);
    }, options),
    team: byId<Team>((ids) => services.teams.byIds(ids), options),
    maintenanceWindow: byId<MaintenanceWindow>((ids) => services.maintenance.byIds(ids), options),
    maintenanceRecurrence: byId<MaintenanceRecurrence>((ids) => services.maintenanceRecurrences.byIds(ids), options),
    statusSubscriberCounts: new DataLoader<string, StatusSubscriberCountsView>((pageIds) => services.statusSubscribers.countsOf(pageIds), options),
    maintenanceServices: groupedBy<MaintenanceServiceImpact>((ids) => services.maintenance.servicesOf(ids), (row) => row.windowId, options),
    maintenanceTimeline: groupedBy<MaintenanceEvent>((ids) => services.maintenance.timelinesOf(ids), (row) => row.windowId, options),
    teamMembers: new DataLoader<string, string[]>(async (teamIds) => {
      const memberships = await services.teams.memberships(teamIds);
      return teamIds.map((teamId) => memberships.filter((row) => row.teamId === teamId).map((row) => row.personId));
    }, options),
    contactMethods: groupedBy<ContactMethod>((ids) => services.paging.contactMethodsFor(ids), (method) => method.personId, options),
    notificationRules: groupedBy<NotificationRule>((ids) => services.paging.rulesFor(ids), (rule) => rule.personId, options),
    escalationPolicy: byId<EscalationPolicy>((ids) => services.paging.policiesByIds(ids), options),
    escalation: new DataLoader<string, IncidentEscalation | null>(async (ids) => {
      const rows = new Map((await services.escalation.forIncidents(ids)).map((row) => [row.incidentId, row]));
      return ids.map((id) => rows.get(id) ?? null);
    }, options),
    /** Per (filter, first, after): that page of every incident listed, in one statement; counts in one more, when asked. */
    notificationPages(filter: NotificationFilter, page: PageArgs): DataLoader<string, Page<Notification>> {
      const filterKey = JSON.stringify([filter.status ?? null, filter.channel ?? null]);
      const key = JSON.stringify([filterKey, page.first ?? null, page.after ?? null]);
      let loader = notificationPagesByArgs.get(key);
      if (!loader) {
        let counts = notificationCountsByFilter.get(filterKey);
        if (!counts) {
          counts = new DataLoader<string, number>((ids) => services.notificationQueries.countsOf(ids, filter), options);
          notificationCountsByFilter.set(filterKey, counts);
        }
        const countsOfFilter = counts;
        loader = new DataLoader(
          async (ids) =>
            (await services.notificationQueries.pagesOf(ids, filter, page)).map((found, index) => ({ ...found, totalCount: () => countsOfFilter.load(ids[index]) })),
          options,
        );
        notificationPagesByArgs.set(key, loader);
      }
      return loader;
    },
    /** Per (filter, first, after): that page of every integration's delivery log listed, in one statement; counts in one more, when asked. */
    deliveryPages(filter: DeliveryFilter, page: PageArgs): DataLoader<string, Page<IntegrationDelivery>> {
      const filterKey = JSON.stringify(filter.outcome ?? null);
      const key = JSON.stringify([filterKey, page.first ?? null, page.after ?? null]);
      let loader = deliveryPagesByArgs.get(key);
      if (!loader) {
        let counts = deliveryCountsByFilter.get(filterKey);
        if (!counts) {
          counts = new DataLoader<string, number>((ids) => services.integrationDeliveries.countsOf(ids, filter), options);
          deliveryCountsByFilter.set(filterKey, counts);
        }
        const countsOfFilter = counts;
        loader = new DataLoader(
          async (ids) => (await services.integrationDeliveries.pagesOf(ids, filter, page)).map((found, index) => ({ ...found, totalCount: () => countsOfFilter.load(ids[index]) })),
          options,
        );
        deliveryPagesByArgs.set(key, loader);
      }
      return loader;
    },
    mitigationSteps: groupedBy<MitigationStep>((ids) => services.mitigations.listForIncidents(ids), (step) => step.incidentId, options),
    /** Per window: the overrides of every schedule listed, in one statement. */
    scheduleOverrides(from?: Date | null, to?: Date | null): DataLoader<string, ScheduleOverride[]> {
      const key = windowKey(from, to);
      let loader = overridesByWindow.get(key);
      if (!loader) {
        loader = new DataLoader((ids) => services.scheduleStore.listOverridesOfMany(ids, { from, to }), options);
        overridesByWindow.set(key, loader);
      }
      return loader;
    },
    /** Per window: the gaps of every schedule listed (schedules as loaded, keyed by id). */
    scheduleGaps(from: Date, to: Date): DataLoader<Schedule, ScheduleGap[], string> {
      const key = windowKey(from, to);
      let loader = gapsByWindow.get(key);
      if (!loader) {
        loader = new DataLoader((schedules) => services.onCall.gapsOfMany(schedules, from, to, work), { ...options, cacheKeyFn: (schedule) => schedule.id });
        gapsByWindow.set(key, loader);
      }
      return loader;
    },
    scheduleWarnings: new DataLoader<Schedule, ScheduleWarning[], string>((schedules) => services.onCall.warningsOfMany(schedules, work), {
      ...options,
      cacheKeyFn: (schedule) => schedule.id,
    }),
    // communication cadence (#12)
    communication: new DataLoader<string, IncidentCommunication>(async (ids) => {
      const found = await services.communication.forIncidents(ids);
      return ids.map((id) => found.get(id) ?? { obligations: [], nextDueAt: null, overdueCount: 0 });
    }, options),
    maintenanceCommunication: new DataLoader<string, IncidentCommunication>(async (ids) => {
      const found = await services.communication.forMaintenanceWindows(ids);
      return ids.map((id) => found.get(id) ?? { obligations: [], nextDueAt: null, overdueCount: 0 });
    }, options),
    communicationObligation: byId<CommunicationObligation>((ids) => services.communication.obligationsByIds(ids), options),
    incidentCalls: groupedBy<IncidentCall>((ids) => services.communication.callsOf(ids), (call) => call.incidentId, options),
    latestTimeline(limit: number): DataLoader<string, TimelineEvent[]> {
      let loader = timelineByLimit.get(limit);
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          const grouped = await services.timeline.latestByIncident(ids, limit);
          return ids.map((id) => grouped.get(id) ?? []);
        }, options);
        timelineByLimit.set(limit, loader);
      }
      return loader;
    },
  };
}
