/**
 * What the HTML templates show, built from the PublicPage model alone: every word and time already formatted, every
 * colour paired with its words, links checked. Templates only place these values (escaped) and never compute.
 */
import type { ComponentState } from '../../shared/enums';
import { markdownToSafeHtml } from '../../shared/markdown';
import type {
  AffectedComponent,
  PublicComponent,
  PublicDay,
  PublicIncident,
  PublicLink,
  PublicMaintenance,
  PublicPage,
  PublicUpdate,
} from '../../services/status/public-page';
import { worstState } from '../../services/status/component-state';
import { componentState, incidentImpact, indicatorTone, statusText, type Shown, type Tone } from '../labels';
import { PageTime, type ShownTime } from './page-time';

export interface PageLinks {
  page: string;
  subscribe: string;
  atom: string;
  rss: string;
  summaryJson: string;
}

export interface LinkView {
  name: string;
  /** Only http(s) addresses become links; anything else is shown as the name alone. */
  href: string | null;
}

export interface UpdateView {
  /** Public id: the feed entries and shortlinks point at `#update-<id>`. */
  id: string;
  status: string;
  body: string;
  at: ShownTime;
}

export interface AffectedView {
  name: string;
  state: Shown;
}

export interface IncidentView {
  id: string;
  title: string;
  status: string;
  impact: Shown;
  startedAt: ShownTime;
  provider: LinkView | null;
  components: AffectedView[];
  updates: UpdateView[];
}

export interface MaintenanceView {
  id: string;
  title: string;
  /** The Markdown description as sanitized HTML (shared/markdown.ts), the one piece shown unescaped. */
  descriptionHtml: string | null;
  status: string;
  from: ShownTime;
  until: ShownTime;
  components: AffectedView[];
  updates: UpdateView[];
}

export interface DayView {
  /** For screen readers and the bar's tooltip: the day, its uptime, its worst state and the incidents behind it. */
  text: string;
  tone: Tone;
}

export interface ComponentView {
  id: string;
  name: string;
  description: string | null;
  state: Shown;
  provider: LinkView | null;
  /** The mean of the days' uptime over the history shown ("99.98%"), null without history. */
  uptime: string | null;
  days: DayView[];
}

export interface ComponentGroupView {
  /** null for the page's ungrouped components. */
  name: string | null;
  state: Shown;
  components: ComponentView[];
}

export interface StatusPageView {
  title: string;
  description: string | null;
  links: PageLinks;
  indicator: { text: string; tone: Tone };
  updatedAt: ShownTime;
  timeZone: string;
  activeIncidents: IncidentView[];
  /** Resolved incidents whose root cause analysis is published, newest first. */
  rcas: Array<{ title: string; href: string; resolvedAt: ShownTime | null }>;
  activeMaintenances: MaintenanceView[];
  upcomingMaintenances: MaintenanceView[];
  groups: ComponentGroupView[];
  /** How many days the uptime bars cover (the longest history of any component). */
  historyDays: number;
}

export function pageLinks(slug: string): PageLinks {
  const base = `/status/${encodeURIComponent(slug)}`;
  return {
    page: base,
    subscribe: `${base}/subscribers`,
    atom: `${base}/feed.atom`,
    rss: `${base}/feed.rss`,
    summaryJson: `${base}/api/v2/summary.json`,
  };
}

export function statusPageView(page: PublicPage): StatusPageView {
  const time = new PageTime(page.timeZone);
  return {
    title: page.title,
    description: page.description,
    links: pageLinks(page.slug),
    indicator: { text: page.indicatorDescription, tone: indicatorTone(page.indicator) },
    updatedAt: time.at(page.updatedAt),
    timeZone: page.timeZone,
    activeIncidents: page.activeIncidents.map((incident) => incidentView(incident, time)),
    rcas: page.recentIncidents.flatMap((incident) => (incident.rcaPath ? [{ title: incident.title, href: incident.rcaPath, resolvedAt: incident.resolvedAt && time.at(incident.resolvedAt) }] : [])),
    activeMaintenances: page.activeMaintenances.map((maintenance) => maintenanceView(maintenance, time)),
    upcomingMaintenances: page.upcomingMaintenances.map((maintenance) => maintenanceView(maintenance, time)),
    groups: groupsOf(page.components.map((component) => componentView(component, time))),
    historyDays: Math.max(0, ...page.components.map((component) => component.history.length)),
  };
}

/** A link whose address is http(s); a `javascript:` or otherwise odd address is never put into an href. */
export function linkView(link: PublicLink): LinkView {
  return { name: link.name, href: httpUrl(link.url) };
}

function httpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function updateView(update: PublicUpdate, time: PageTime): UpdateView {
  return { id: update.id, status: statusText(update.status), body: update.body, at: time.at(update.postedAt) };
}

function affectedView(component: AffectedComponent): AffectedView {
  return { name: component.name, state: componentState(component.impact) };
}

function incidentView(incident: PublicIncident, time: PageTime): IncidentView {
  return {
    id: incident.id,
    title: incident.title,
    status: statusText(incident.status),
    impact: incidentImpact(incident.impact),
    startedAt: time.at(incident.createdAt),
    provider: incident.provider && linkView(incident.provider),
    components: incident.components.map(affectedView),
    updates: incident.updates.map((update) => updateView(update, time)),
  };
}

function maintenanceView(maintenance: PublicMaintenance, time: PageTime): MaintenanceView {
  return {
    id: maintenance.id,
    title: maintenance.title,
    descriptionHtml: maintenance.description ? markdownToSafeHtml(maintenance.description) : null,
    status: statusText(maintenance.status),
    from: time.at(maintenance.scheduledFor),
    until: time.at(maintenance.scheduledUntil),
    components: maintenance.components.map(affectedView),
    updates: maintenance.updates.map((update) => updateView(update, time)),
  };
}

function componentView(component: PublicComponent, time: PageTime): ComponentView & { group: string | null; rawState: ComponentState } {
  return {
    id: component.id,
    name: component.name,
    description: component.description,
    state: componentState(component.state),
    provider: component.provider && linkView(component.provider),
    uptime: component.history.length ? percent(component.history.reduce((sum, day) => sum + day.uptimePercent, 0) / component.history.length) : null,
    days: component.history.map((day) => dayView(day, time)),
    group: component.group,
    rawState: component.state,
  };
}

export function percent(value: number): string {
  // Two decimals, but never "100.00%" for a day that lost seconds, nor trailing zeros for a clean one.
  const floored = Math.floor(value * 100) / 100;
  return `${floored === 100 ? '100' : floored.toFixed(2)}%`;
}

function dayView(day: PublicDay, time: PageTime): DayView {
  const state = componentState(day.worstState);
  const incidents = day.incidents.length ? ` Incidents: ${day.incidents.map((incident) => incident.title).join('; ')}.` : '';
  return { text: `${time.day(day.date)}: ${percent(day.uptimePercent)} uptime, ${state.text.toLowerCase()}.${incidents}`, tone: state.tone };
}

/** Consecutive components of one group (the model lists them in group order) become one group; so do ungrouped ones. */
function groupsOf(components: Array<ComponentView & { group: string | null; rawState: ComponentState }>): ComponentGroupView[] {
  const groups: Array<{ name: string | null; states: ComponentState[]; components: ComponentView[] }> = [];
  for (const { group, rawState, ...component } of components) {
    let current = groups[groups.length - 1];
    if (!current || current.name !== group) {
      current = { name: group, states: [], components: [] };
      groups.push(current);
    }
    current.states.push(rawState);
    current.components.push(component);
  }
  return groups.map(({ name, states, components: members }) => ({ name, state: componentState(worstState(states)), components: members }));
}
