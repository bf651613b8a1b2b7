/** Hand-made PublicPage models for the renderer's tests: what the public reader would return for a busy page. */
import { DateTime } from 'luxon';
import type { PublicComponent, PublicDay, PublicIncident, PublicMaintenance, PublicPage } from '../../src/services/status/public-page';
import { ComponentState, StatusPageKind } from '../../src/shared/enums';

export const NOW = new Date('2026-03-10T14:05:00Z');

/** 90 days ending at `today` (page zone), OPERATIONAL at 100% but for the days given. */
export function history(zone: string, bad: Record<number, Partial<PublicDay>> = {}, today = NOW): PublicDay[] {
  const last = DateTime.fromJSDate(today, { zone }).startOf('day');
  return Array.from({ length: 90 }, (_, index) => {
    const daysAgo = 89 - index;
    return {
      date: last.minus({ days: daysAgo }).toISODate()!,
      uptimePercent: 100,
      worstState: ComponentState.OPERATIONAL,
      outageSeconds: { major: 0, partial: 0, degraded: 0, maintenance: 0 },
      incidents: [],
      ...bad[daysAgo],
    };
  });
}

export function component(overrides: Partial<PublicComponent> & Pick<PublicComponent, 'id' | 'name'>): PublicComponent {
  return {
    description: null,
    group: null,
    position: 0,
    state: ComponentState.OPERATIONAL,
    provider: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    history: history('Europe/Lisbon'),
    ...overrides,
  };
}

export function incident(overrides: Partial<PublicIncident> & Pick<PublicIncident, 'id' | 'title'>): PublicIncident {
  return {
    rcaPath: null,
    status: 'identified',
    impact: 'major',
    createdAt: new Date('2026-03-10T12:41:00Z'),
    updatedAt: new Date('2026-03-10T13:20:00Z'),
    monitoringAt: null,
    resolvedAt: null,
    components: [],
    updates: [],
    provider: null,
    ...overrides,
  };
}

export function maintenance(overrides: Partial<PublicMaintenance> & Pick<PublicMaintenance, 'id' | 'title'>): PublicMaintenance {
  return {
    description: null,
    status: 'scheduled',
    impact: 'minor',
    scheduledFor: new Date('2026-03-14T22:00:00Z'),
    scheduledUntil: new Date('2026-03-15T01:00:00Z'),
    createdAt: new Date('2026-03-01T09:00:00Z'),
    updatedAt: new Date('2026-03-01T09:00:00Z'),
    startedAt: null,
    completedAt: null,
    components: [],
    updates: [],
    ...overrides,
  };
}

/** A busy main page: grouped and ungrouped components in every state, an incident, maintenance in progress and ahead. */
export function busyPage(overrides: Partial<PublicPage> = {}): PublicPage {
  const zone = overrides.timeZone ?? 'Europe/Lisbon';
  const apiIncident = { id: 'inc0api00001', title: 'Elevated API error rates' };
  const components: PublicComponent[] = [
    component({
      id: 'cmp0api00001',
      name: 'Public API',
      group: 'Core platform',
      state: ComponentState.PARTIAL_OUTAGE,
      description: 'REST and GraphQL endpoints',
      history: history(zone, {
        0: { uptimePercent: 97.91, worstState: ComponentState.PARTIAL_OUTAGE, incidents: [apiIncident] },
        12: { uptimePercent: 99.58, worstState: ComponentState.DEGRADED_PERFORMANCE, incidents: [{ id: 'inc0old00001', title: 'Slow responses' }] },
        40: { uptimePercent: 93.75, worstState: ComponentState.MAJOR_OUTAGE, incidents: [{ id: 'inc0old00002', title: 'API unavailable' }] },
      }),
    }),
    component({ id: 'cmp0web00001', name: 'Web app', group: 'Core platform', position: 1, state: ComponentState.DEGRADED_PERFORMANCE, history: history(zone, { 0: { uptimePercent: 100, worstState: ComponentState.DEGRADED_PERFORMANCE } }) }),
    component({ id: 'cmp0ntf00001', name: 'Notifications', group: 'Core platform', position: 2, history: history(zone, { 25: { uptimePercent: 100, worstState: ComponentState.UNDER_MAINTENANCE } }) }),
    component({ id: 'cmp0dbs00001', name: 'Reporting database', group: 'Data', state: ComponentState.UNDER_MAINTENANCE, history: history(zone, { 0: { uptimePercent: 100, worstState: ComponentState.UNDER_MAINTENANCE } }) }),
    component({ id: 'cmp0sso00001', name: 'Single sign-on', history: history(zone) }),
  ];
  return {
    id: 'page0main001',
    slug: 'main',
    title: 'Acme Cloud Status',
    description: 'Live status of Acme Cloud services.',
    timeZone: zone,
    kind: StatusPageKind.SERVICES,
    indicator: 'major',
    indicatorDescription: 'Partial System Outage',
    updatedAt: new Date('2026-03-10T13:20:00Z'),
    components,
    activeIncidents: [
      incident({
        ...apiIncident,
        components: [
          { id: 'cmp0api00001', name: 'Public API', impact: ComponentState.PARTIAL_OUTAGE },
          { id: 'cmp0web00001', name: 'Web app', impact: ComponentState.DEGRADED_PERFORMANCE },
        ],
        updates: [
          { id: 'upd000000002', status: 'identified', body: 'A faulty configuration change on the load balancers is the cause. We are rolling it back.', postedAt: new Date('2026-03-10T13:20:00Z') },
          { id: 'upd000000001', status: 'investigating', body: 'Some API requests fail with 502 errors. We are investigating.', postedAt: new Date('2026-03-10T12:41:00Z') },
        ],
      }),
    ],
    recentIncidents: [],
    activeMaintenances: [
      maintenance({
        id: 'mnt0dbs00001',
        title: 'Reporting database upgrade',
        status: 'in_progress',
        scheduledFor: new Date('2026-03-10T13:00:00Z'),
        scheduledUntil: new Date('2026-03-10T16:00:00Z'),
        startedAt: new Date('2026-03-10T13:00:00Z'),
        description: 'Reports may be delayed while the database moves to new hardware.',
        components: [{ id: 'cmp0dbs00001', name: 'Reporting database', impact: ComponentState.UNDER_MAINTENANCE }],
        updates: [{ id: 'upd000000010', status: 'in_progress', body: 'The upgrade has started.', postedAt: new Date('2026-03-10T13:00:00Z') }],
      }),
    ],
    upcomingMaintenances: [
      maintenance({
        id: 'mnt0ntf00001',
        title: 'Notification service maintenance',
        description: 'Notifications may arrive up to 10 minutes late.',
        components: [{ id: 'cmp0ntf00001', name: 'Notifications', impact: ComponentState.DEGRADED_PERFORMANCE }],
        updates: [{ id: 'upd000000020', status: 'scheduled', body: 'We will upgrade the notification queue.', postedAt: new Date('2026-03-01T09:00:00Z') }],
      }),
    ],
    recentMaintenances: [],
    ...overrides,
  };
}

/** A quiet page: every component operational, nothing open. */
export function quietPage(overrides: Partial<PublicPage> = {}): PublicPage {
  return busyPage({
    indicator: 'none',
    indicatorDescription: 'All Systems Operational',
    components: busyPage().components.map((entry) => ({ ...entry, state: ComponentState.OPERATIONAL })),
    activeIncidents: [],
    activeMaintenances: [],
    upcomingMaintenances: [],
    ...overrides,
  });
}
