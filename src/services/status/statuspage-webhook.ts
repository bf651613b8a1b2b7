/**
 * The body of a subscriber's webhook in Atlassian Statuspage's format (meta, page, and an incident with its
 * incident_updates, or a component_update with its component), so any tool that takes Statuspage notifications —
 * another incident-bridge's STATUSPAGE integration among them — reads ours unchanged. Built from the public views an
 * event stored (JSON: dates as ISO strings); pure. https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/
 */
import type { ComponentState } from '../../shared/enums';
import type { PageIndicator, PublicComponent, PublicIncident, PublicMaintenance, PublicUpdate } from './public-page';

/** A view as an event's payload keeps it: JSON, dates as ISO-8601 strings. */
export type Stored<T> = T extends Date ? string : T extends Array<infer U> ? Array<Stored<U>> : T extends object ? { [K in keyof T]: Stored<T[K]> } : T;

/** The page part: which of our pages, and its overall state when the event was expanded. */
export interface StoredPage {
  id: string;
  status_indicator: PageIndicator;
  status_description: string;
}

/** A component's change as the fan-out recorded it. */
export interface StoredComponentChange {
  /** Public id of this change. */
  id: string;
  component: Stored<Pick<PublicComponent, 'id' | 'name' | 'description' | 'position' | 'updatedAt'>>;
  from: ComponentState;
  to: ComponentState;
  at: string;
}

/** What a webhook is about: exactly one of them. */
export type WebhookSubject =
  | { incident: Stored<PublicIncident> }
  | { maintenance: Stored<PublicMaintenance> }
  | { componentChange: StoredComponentChange };

export interface WebhookContext {
  page: StoredPage;
  /** The page's public URL (the incidents' shortlink). */
  pageUrl: string;
  unsubscribeUrl: string;
  generatedAt: Date;
}

/** Statuspage documents the format; our body follows it, so its documentation is the one to read. */
export const STATUSPAGE_WEBHOOK_DOCUMENTATION = 'https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/';

export function statuspageWebhookBody(subject: WebhookSubject, context: WebhookContext): Record<string, unknown> {
  const head = {
    meta: { unsubscribe: context.unsubscribeUrl, documentation: STATUSPAGE_WEBHOOK_DOCUMENTATION, generated_at: context.generatedAt.toISOString() },
    page: context.page,
  };
  if ('incident' in subject) return { ...head, incident: incidentOf(subject.incident, context) };
  if ('maintenance' in subject) return { ...head, incident: maintenanceOf(subject.maintenance, context) };
  return { ...head, ...componentUpdateOf(subject.componentChange, context.page.id) };
}

export function statuspageStatus(state: ComponentState): string {
  return state.toLowerCase();
}

/** Statuspage has no cancelled maintenance: a cancelled window is over, as a completed one is. */
function maintenanceStatus(status: string): string {
  return status === 'cancelled' ? 'completed' : status;
}

const NOT_APPLICABLE = {
  postmortem_ignored: false,
  postmortem_body: null,
  postmortem_body_last_updated_at: null,
  postmortem_published_at: null,
  postmortem_notified_subscribers: false,
  postmortem_notified_twitter: false,
  backfilled: false,
  impact_override: null,
  scheduled_remind_prior: false,
  scheduled_reminded_at: null,
  scheduled_auto_in_progress: false,
  scheduled_auto_completed: false,
};

function updatesOf(incidentId: string, updates: Array<Stored<PublicUpdate>>, status: (value: string) => string = (value) => value) {
  return updates.map((update) => ({
    id: update.id,
    incident_id: incidentId,
    status: status(update.status),
    body: update.body,
    created_at: update.postedAt,
    updated_at: update.postedAt,
    display_at: update.postedAt,
    affected_components: null,
    deliver_notifications: true,
    wants_twitter_update: false,
    twitter_updated_at: null,
    custom_tweet: null,
  }));
}

/** The affected components as Statuspage lists them; their positions and dates are not part of an incident's view. */
function componentsOf(components: Stored<PublicIncident['components']>, pageId: string) {
  return components.map((component) => ({
    id: component.id,
    page_id: pageId,
    group_id: null,
    name: component.name,
    description: null,
    status: statuspageStatus(component.impact),
    showcase: true,
  }));
}

function incidentOf(incident: Stored<PublicIncident>, context: WebhookContext) {
  return {
    ...NOT_APPLICABLE,
    id: incident.id,
    page_id: context.page.id,
    name: incident.title,
    status: incident.status,
    impact: incident.impact,
    created_at: incident.createdAt,
    updated_at: incident.updatedAt,
    started_at: incident.createdAt,
    monitoring_at: incident.monitoringAt,
    resolved_at: incident.resolvedAt,
    shortlink: context.pageUrl,
    scheduled_for: null,
    scheduled_until: null,
    incident_updates: updatesOf(incident.id, incident.updates),
    components: componentsOf(incident.components, context.page.id),
  };
}

/** A window as Statuspage sends a scheduled maintenance: an incident with impact maintenance and scheduled_* set. */
function maintenanceOf(window: Stored<PublicMaintenance>, context: WebhookContext) {
  return {
    ...NOT_APPLICABLE,
    id: window.id,
    page_id: context.page.id,
    name: window.title,
    status: maintenanceStatus(window.status),
    impact: 'maintenance',
    created_at: window.createdAt,
    updated_at: window.updatedAt,
    started_at: window.startedAt ?? window.scheduledFor,
    monitoring_at: null,
    resolved_at: window.completedAt,
    shortlink: context.pageUrl,
    scheduled_for: window.scheduledFor,
    scheduled_until: window.scheduledUntil,
    incident_updates: updatesOf(window.id, window.updates, maintenanceStatus),
    components: componentsOf(window.components, context.page.id),
  };
}

function componentUpdateOf(change: StoredComponentChange, pageId: string) {
  return {
    component_update: {
      id: change.id,
      component_id: change.component.id,
      component_type: 'Component',
      old_status: statuspageStatus(change.from),
      new_status: statuspageStatus(change.to),
      created_at: change.at,
    },
    component: {
      id: change.component.id,
      page_id: pageId,
      group_id: null,
      name: change.component.name,
      description: change.component.description,
      status: statuspageStatus(change.to),
      position: change.component.position,
      showcase: true,
      updated_at: change.component.updatedAt,
    },
  };
}
