import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * What one subscriber of bench:soak watches. Dashboards filter: the alert streams take one integration's critical
 * alerts, or the low-volume vendors' alerts; the incident streams take every new or changed incident.
 */
export type SubscriberProfile = 'criticalGenericAlerts' | 'trickleAlerts' | 'incidentCreated' | 'incidentUpdated';

export const PROFILES: readonly SubscriberProfile[] = ['criticalGenericAlerts', 'incidentCreated', 'incidentUpdated', 'trickleAlerts'];

export interface SubscriberFilters {
  genericIntegrationId: string;
  trickleIntegrationIds: string[];
}

const ALERT_FIELDS = 'id fingerprint occurrences';
const INCIDENT_FIELDS = 'id number status priority updatedAt service { id }';

function documentOf(profile: SubscriberProfile): string {
  switch (profile) {
    case 'criticalGenericAlerts':
    case 'trickleAlerts':
      return `subscription($filter: AlertSubscriptionFilter, $after: String) { event: alertReceived(filter: $filter, after: $after) { ${ALERT_FIELDS} } }`;
    case 'incidentCreated':
      return `subscription($after: String) { event: incidentCreated(after: $after) { ${INCIDENT_FIELDS} } }`;
    case 'incidentUpdated':
      return `subscription($after: String) { event: incidentUpdated(after: $after) { ${INCIDENT_FIELDS} } }`;
  }
}

function variablesOf(profile: SubscriberProfile, filters: SubscriberFilters): Record<string, unknown> {
  if (profile === 'criticalGenericAlerts') return { filter: { integrationId: [filters.genericIntegrationId], severity: ['CRITICAL'] } };
  if (profile === 'trickleAlerts') return { filter: { integrationId: filters.trickleIntegrationIds } };
  return {};
}

export interface AlertSeen {
  /** Highest occurrence count received. */
  occurrences: number;
  /** performance.now() of the first event. */
  firstAt: number;
}

export interface IncidentSeen {
  status: string;
  priority: string;
  updatedAt: string;
  firstAt: number;
}

/** Why a subscription stopped for good: a signal the client must act on (re-query), or a lost connection. */
export interface Ending {
  code: string;
  at: number;
}

interface EventData {
  event: { id: string; fingerprint?: string; occurrences?: number; status?: string; priority?: string; updatedAt?: string };
}

/** Ends that a client answers by subscribing again after its last cursor, once the server can serve again. */
const RESUMABLE = new Set(['SERVICE_UNAVAILABLE']);
const RESUME_DELAY_MS = 1000;

/**
 * One graphql-ws subscription that keeps what it received (by alert fingerprint or incident id) and resumes after
 * its last cursor when the server ends it with SERVICE_UNAVAILABLE, as a client should. Any other end (RESYNC_REQUIRED,
 * SUBSCRIPTION_OVERFLOW, a closed socket) is recorded: such a subscriber did not stay connected.
 */
export class SoakSubscriber {
  readonly alerts = new Map<string, AlertSeen>();
  readonly incidents = new Map<string, IncidentSeen>();
  events = 0;
  resumes = 0;
  ending: Ending | null = null;
  /** performance.now() of the last event, for settling at the end. */
  lastEventAt = 0;
  private cursor: string | null = null;
  private stop: (() => void) | null = null;
  private closed = false;

  constructor(
    readonly profile: SubscriberProfile,
    readonly instance: 'A' | 'B',
    private readonly client: Client,
    private readonly filters: SubscriberFilters,
  ) {}

  get kind(): 'alert' | 'incident' {
    return this.profile === 'criticalGenericAlerts' || this.profile === 'trickleAlerts' ? 'alert' : 'incident';
  }

  start(): void {
    if (this.closed) return;
    const variables = { ...variablesOf(this.profile, this.filters), after: this.cursor };
    this.stop = this.client.subscribe<EventData>(
      { query: documentOf(this.profile), variables },
      {
        next: (result) => {
          const cursor = (result.extensions as { cursor?: string } | undefined)?.cursor;
          if (cursor) this.cursor = cursor;
          if (result.errors?.length || !result.data) {
            this.end(String((result.errors?.[0]?.extensions as { code?: string } | undefined)?.code ?? 'ERROR_EVENT'));
            return;
          }
          this.record(result.data as EventData);
        },
        error: (error) => {
          const code = Array.isArray(error) ? String((error[0]?.extensions as { code?: string } | undefined)?.code ?? 'ERROR') : 'CONNECTION_CLOSED';
          if (RESUMABLE.has(code) && !this.closed) {
            this.resumes += 1;
            setTimeout(() => this.start(), RESUME_DELAY_MS);
            return;
          }
          this.end(code);
        },
        complete: () => this.end('COMPLETED'),
      },
    );
  }

  close(): void {
    this.closed = true;
    this.stop?.();
  }

  private end(code: string): void {
    if (this.closed) return;
    this.ending ??= { code, at: performance.now() };
    this.close();
  }

  private record({ event }: EventData): void {
    const now = performance.now();
    this.events += 1;
    this.lastEventAt = now;
    if (this.kind === 'alert') {
      const seen = this.alerts.get(event.fingerprint!);
      if (!seen) this.alerts.set(event.fingerprint!, { occurrences: event.occurrences!, firstAt: now });
      else seen.occurrences = Math.max(seen.occurrences, event.occurrences!);
      return;
    }
    const seen = this.incidents.get(event.id);
    this.incidents.set(event.id, { status: event.status!, priority: event.priority!, updatedAt: event.updatedAt!, firstAt: seen?.firstAt ?? now });
  }
}

/** One graphql-ws connection per `perConnection` subscribers, as browsers of one dashboard would hold. */
export function connect(httpUrl: string, token: string): Client {
  return createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
  });
}
