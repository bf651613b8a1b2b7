import type { PublicComponent, PublicIncident, PublicMaintenance, PublicPage } from '../../src/services/status/public-page';
import { ComponentState, StatusPageKind } from '../../src/shared/enums';

const at = (iso: string) => new Date(iso);

function component(id: string, name: string, group: string | null, position: number, state: ComponentState, updatedAt: string): PublicComponent {
  return { id, name, description: `${name} for customers`, group, position, state, provider: null, createdAt: at('2026-01-01T00:00:00Z'), updatedAt: at(updatedAt), history: [] };
}

/** Open, with two public updates and a stated impact on the API. */
export const apiIncident: PublicIncident = {
  id: 'inc0000000a1',
  title: 'Elevated API errors',
  status: 'identified',
  impact: 'major',
  createdAt: at('2026-03-10T09:00:00Z'),
  updatedAt: at('2026-03-10T09:20:00Z'),
  monitoringAt: null,
  resolvedAt: null,
  components: [{ id: 'cmp00000api1', name: 'API', impact: ComponentState.PARTIAL_OUTAGE }],
  updates: [
    { id: 'upd0000000a2', body: 'We found the cause: a bad deploy.\nRolling back.', status: 'identified', postedAt: at('2026-03-10T09:20:00Z') },
    { id: 'upd0000000a1', body: 'We are investigating errors on the API.', status: 'investigating', postedAt: at('2026-03-10T09:05:00Z') },
  ],
  provider: null,
  rcaPath: null,
};

export const resolvedIncident: PublicIncident = {
  id: 'inc0000000b1',
  title: 'Slow web logins',
  status: 'resolved',
  impact: 'minor',
  createdAt: at('2026-03-01T12:00:00Z'),
  updatedAt: at('2026-03-01T13:00:00Z'),
  monitoringAt: at('2026-03-01T12:40:00Z'),
  resolvedAt: at('2026-03-01T13:00:00Z'),
  components: [{ id: 'cmp00000web1', name: 'Web', impact: ComponentState.DEGRADED_PERFORMANCE }],
  updates: [
    { id: 'upd0000000b3', body: 'Resolved.', status: 'resolved', postedAt: at('2026-03-01T13:00:00Z') },
    { id: 'upd0000000b2', body: 'A fix is out; we are monitoring.', status: 'monitoring', postedAt: at('2026-03-01T12:40:00Z') },
    { id: 'upd0000000b1', body: 'Logins are slow.', status: 'investigating', postedAt: at('2026-03-01T12:05:00Z') },
  ],
  provider: null,
  rcaPath: null,
};

export const activeWindow: PublicMaintenance = {
  id: 'mnt0000000a1',
  title: 'Database upgrade',
  description: 'PostgreSQL 18',
  status: 'in_progress',
  impact: 'minor',
  scheduledFor: at('2026-03-10T08:00:00Z'),
  scheduledUntil: at('2026-03-10T10:00:00Z'),
  createdAt: at('2026-03-03T08:00:00Z'),
  updatedAt: at('2026-03-10T08:00:00Z'),
  startedAt: at('2026-03-10T08:00:00Z'),
  completedAt: null,
  components: [{ id: 'cmp0000000db', name: 'Reports', impact: ComponentState.DEGRADED_PERFORMANCE }],
  updates: [
    { id: 'mup0000000a2', body: 'Maintenance is in progress.', status: 'in_progress', postedAt: at('2026-03-10T08:00:00Z') },
    { id: 'mup0000000a1', body: 'Maintenance is scheduled.', status: 'scheduled', postedAt: at('2026-03-03T08:00:00Z') },
  ],
};

export const upcomingWindow: PublicMaintenance = {
  id: 'mnt0000000b1',
  title: 'Network switch replacement',
  description: null,
  status: 'scheduled',
  impact: 'major',
  scheduledFor: at('2026-03-20T22:00:00Z'),
  scheduledUntil: at('2026-03-20T23:00:00Z'),
  createdAt: at('2026-03-09T10:00:00Z'),
  updatedAt: at('2026-03-09T10:00:00Z'),
  startedAt: null,
  completedAt: null,
  components: [{ id: 'cmp00000api1', name: 'API', impact: ComponentState.PARTIAL_OUTAGE }],
  updates: [{ id: 'mup0000000b1', body: 'Maintenance is scheduled.', status: 'scheduled', postedAt: at('2026-03-09T10:00:00Z') }],
};

export const cancelledWindow: PublicMaintenance = {
  id: 'mnt0000000c1',
  title: 'Storage migration',
  description: null,
  status: 'cancelled',
  impact: 'minor',
  scheduledFor: at('2026-03-05T22:00:00Z'),
  scheduledUntil: at('2026-03-05T23:00:00Z'),
  createdAt: at('2026-03-02T10:00:00Z'),
  updatedAt: at('2026-03-04T10:00:00Z'),
  startedAt: null,
  completedAt: at('2026-03-04T10:00:00Z'),
  components: [{ id: 'cmp00000web1', name: 'Web', impact: ComponentState.DEGRADED_PERFORMANCE }],
  updates: [
    { id: 'mup0000000c2', body: 'This maintenance was cancelled.', status: 'cancelled', postedAt: at('2026-03-04T10:00:00Z') },
    { id: 'mup0000000c1', body: 'Maintenance is scheduled.', status: 'scheduled', postedAt: at('2026-03-02T10:00:00Z') },
  ],
};

/**
 * A page with an ungrouped component first, then a group "Core" (API in partial outage, Web operational), then a
 * group "Back office" (Reports under maintenance): one open and one resolved incident, a window in progress, one
 * upcoming and one cancelled.
 */
export function fixturePage(overrides: Partial<PublicPage> = {}): PublicPage {
  return {
    id: 'page00000001',
    slug: 'main',
    title: 'Acme status',
    description: 'How Acme is doing',
    timeZone: 'Europe/Lisbon',
    kind: StatusPageKind.SERVICES,
    indicator: 'major',
    indicatorDescription: 'Partial System Outage',
    updatedAt: at('2026-03-10T09:20:00Z'),
    components: [
      component('cmp000status', 'Status e-mails', null, 0, ComponentState.OPERATIONAL, '2026-01-01T00:00:00Z'),
      component('cmp00000api1', 'API', 'Core', 1, ComponentState.PARTIAL_OUTAGE, '2026-03-10T09:00:00Z'),
      component('cmp00000web1', 'Web', 'Core', 2, ComponentState.OPERATIONAL, '2026-03-01T13:00:00Z'),
      component('cmp0000000db', 'Reports', 'Back office', 1, ComponentState.UNDER_MAINTENANCE, '2026-03-10T08:00:00Z'),
    ],
    activeIncidents: [apiIncident],
    recentIncidents: [apiIncident, resolvedIncident],
    activeMaintenances: [activeWindow],
    upcomingMaintenances: [upcomingWindow],
    recentMaintenances: [upcomingWindow, activeWindow, cancelledWindow],
    ...overrides,
  };
}
