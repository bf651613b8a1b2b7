/**
 * Provider status feeds, polled (STATUS_FEED integrations): Statuspage's summary.json and incidents.json
 * (https://developer.statuspage.io/#tag/incidents), any Atom or RSS 2.0 feed, with the shape of Statuspage's
 * history.atom / history.rss and of Azure's status RSS in mind. Every entry is a PROVIDER_INCIDENT keyed by the
 * provider's own id. Pure: (body text, format) → entries; the poller decides which of them are news.
 *
 * Statuses: a Statuspage JSON incident by its status, through the Statuspage webhook's own normalizer; an Atom/RSS
 * entry by the label of its latest update (the first `<strong>` of its HTML, as Statuspage writes them), else by a
 * title that starts or ends with Resolved, Mitigated or Completed; anything else is firing (Azure lists only events
 * still open, and they carry no status).
 */
import { PayloadSchemaError, type NormalizedAlert, type Normalizer } from '../normalized-alert';
import type { StatusFeedFormat } from '../../schema/integration-options';
import type { AlertStatus } from '../../shared/enums';
import { readFeedHtml } from './feed-html';
import { asRecord, buildAlert, childPath, isRecord, optArray, optRecord, optString, parseIsoDate, readArray, readString, stableHash, withoutNulls, type JsonObject } from './normalizer-helpers';
import { parseFeedDocument, type FeedDocument } from './status-feed-document';
import { normalizeStatuspageBody } from './statuspage.normalizer';
import { STATUSPAGE_INCIDENT_STATUS } from './statuspage-status';

/** Entries read from one document at most (feeds list the newest first); the rest are left out and counted. */
export const MAX_FEED_ENTRIES = 500;
const MAX_ENTRY_ID_LENGTH = 256;

/** Statuspage's labels of feed updates: its incident statuses, and "Update" for an update that kept the status. */
const FEED_LABEL_STATUS: Readonly<Record<string, AlertStatus>> = { ...STATUSPAGE_INCIDENT_STATUS, update: 'FIRING' };
const RESOLVED_TITLE = /^\W*(resolved|mitigated|completed)\b|\b(resolved|mitigated|completed)\W*$/i;

export interface FeedEntry {
  /** The provider's id of the entry (incident id, Atom id, RSS guid). */
  entryId: string;
  alert: NormalizedAlert;
}

export interface FeedReading {
  format: FeedDocument['format'];
  /** The document lists only what is unresolved now (summary.json): an entry it no longer lists has resolved. */
  listsOnlyUnresolved: boolean;
  /** One per entry id, the first listed (the newest) when a feed repeats one. */
  entries: FeedEntry[];
  /** Entries beyond MAX_FEED_ENTRIES, left out. */
  omitted: number;
}

/** Reads a fetched body; MalformedFeedError or PayloadSchemaError when it is no feed of that format. */
export function readStatusFeed(text: string, format: StatusFeedFormat = 'auto'): FeedReading {
  const document = parseFeedDocument(text, format);
  switch (document.format) {
    case 'statuspage-json':
      return readStatuspageJson(document.body);
    case 'atom':
      return reading('atom', false, atomEntries(document.feed));
    case 'rss':
      return reading('rss', false, rssEntries(document.channel));
  }
}

function reading(format: FeedDocument['format'], listsOnlyUnresolved: boolean, all: FeedEntry[]): FeedReading {
  const seen = new Set<string>();
  const unique = all.filter((entry) => !seen.has(entry.entryId) && Boolean(seen.add(entry.entryId)));
  return { format, listsOnlyUnresolved, entries: unique.slice(0, MAX_FEED_ENTRIES), omitted: Math.max(0, unique.length - MAX_FEED_ENTRIES) };
}

/**
 * summary.json (page, status, components, incidents, scheduled_maintenances: only what is unresolved or upcoming) or
 * incidents.json (page, incidents: the latest, resolved ones too). Maintenance counts once it runs, not while scheduled.
 */
function readStatuspageJson(body: JsonObject): FeedReading {
  const page = asRecord(body.page, 'page');
  const status = optRecord(body, 'status');
  const pageFields = withoutNulls({
    id: readString(page, 'id', 'page'),
    status_indicator: status ? optString(status, 'indicator', 'status') : null,
    status_description: status ? optString(status, 'description', 'status') : null,
  });
  const incidents = readArray(body, 'incidents').map((incident, index) => statuspageEntry(pageFields, incident, childPath('incidents', index)));
  const maintenances = optArray(body, 'scheduled_maintenances')
    .map((maintenance, index) => ({ maintenance, path: childPath('scheduled_maintenances', index) }))
    .filter(({ maintenance }) => !(isRecord(maintenance) && maintenance.status === 'scheduled'))
    .map(({ maintenance, path }) => statuspageEntry(pageFields, maintenance, path));
  const isSummary = Array.isArray(body.components) || status !== null;
  return reading('statuspage-json', isSummary, [...incidents, ...maintenances]);
}

function statuspageEntry(page: Record<string, unknown>, incident: unknown, path: string): FeedEntry {
  try {
    const [alert] = normalizeStatuspageBody({ page, incident });
    return { entryId: `incident:${String(alert.details.incidentId)}`, alert };
  } catch (error) {
    if (!(error instanceof PayloadSchemaError)) throw error;
    // The webhook normalizer names its fields under `incident`; here they are one of the document's list items.
    const field = error.path.replace(/^incident\.?/, '');
    throw new PayloadSchemaError(field ? `${path}.${field}` : path, error.problem);
  }
}

interface EntryFields {
  entryId: string;
  title: string;
  /** HTML (or plain text) of the entry's body. */
  html: string | null;
  url: string | null;
  startsAt: Date | null;
  updatedAt: Date | null;
  source: string | null;
}

function atomEntries(feed: JsonObject): FeedEntry[] {
  const source = textOf(feed.title);
  return (Array.isArray(feed.entry) ? feed.entry : []).map((item, index) => {
    const path = childPath('feed.entry', index);
    const entry = asRecord(item, path);
    const url = alternateLink(entry.link);
    const content = entry.content ?? entry.summary;
    const html = textOf(content);
    const isPlain = isRecord(content) && content['@_type'] === 'text';
    return feedEntry({
      entryId: requireId(textOf(entry.id) ?? url, childPath(path, 'id')),
      title: titleOf(entry.title),
      html: html && isPlain ? escapeText(html) : html,
      url,
      startsAt: lenientIso(textOf(entry.published) ?? textOf(entry.updated)),
      updatedAt: lenientIso(textOf(entry.updated)),
      source,
    });
  });
}

function rssEntries(channel: JsonObject): FeedEntry[] {
  const source = textOf(channel.title);
  return (Array.isArray(channel.item) ? channel.item : []).map((value, index) => {
    const path = childPath('rss.channel.item', index);
    const item = asRecord(value, path);
    const url = textOf(item.link);
    const title = titleOf(item.title);
    const published = lenientRfc822(textOf(item.pubDate));
    return feedEntry({
      entryId: requireId(textOf(item.guid) ?? url ?? (title ? `${title}|${textOf(item.pubDate) ?? ''}` : null), childPath(path, 'guid')),
      title,
      html: textOf(item.description),
      url,
      startsAt: published,
      updatedAt: published,
      source,
    });
  });
}

function feedEntry(fields: EntryFields): FeedEntry {
  const body = fields.html ? readFeedHtml(fields.html) : { firstStrong: null, text: '' };
  const label = body.firstStrong?.toLowerCase().replace(/\s+/g, '_') ?? null;
  const labelStatus = label !== null && Object.prototype.hasOwnProperty.call(FEED_LABEL_STATUS, label) ? FEED_LABEL_STATUS[label] : null;
  const status = labelStatus ?? (RESOLVED_TITLE.test(fields.title) ? 'RESOLVED' : 'FIRING');
  const key = fields.entryId.length > MAX_ENTRY_ID_LENGTH ? `sha256:${stableHash(fields.entryId)}` : fields.entryId;
  const fingerprint = `feed:${key}`;
  return {
    entryId: key,
    alert: buildAlert({
      fingerprint,
      groupKey: fingerprint,
      status,
      severity: 'WARNING',
      kind: 'PROVIDER_INCIDENT',
      summary: fields.title,
      description: body.text || null,
      source: fields.source,
      labels: labelStatus ? { entry_status: label as string } : {},
      url: fields.url,
      startsAt: fields.startsAt,
      endsAt: status === 'RESOLVED' ? fields.updatedAt : null,
      details: withoutNulls({ entryId: fields.entryId, updatedAt: fields.updatedAt?.toISOString() }),
    }),
  };
}

/** An element's text: a string, or the text of an element that has attributes too. */
function textOf(node: unknown): string | null {
  const text = typeof node === 'string' ? node : isRecord(node) && typeof node['#text'] === 'string' ? node['#text'] : null;
  return text?.trim() ? text.trim() : null;
}

function titleOf(node: unknown): string {
  const text = textOf(node);
  if (!text) return '(untitled)';
  return isRecord(node) && node['@_type'] === 'html' ? readFeedHtml(text).text || '(untitled)' : text;
}

function alternateLink(links: unknown): string | null {
  const list = Array.isArray(links) ? links.filter(isRecord) : [];
  const link = list.find((candidate) => candidate['@_rel'] === undefined || candidate['@_rel'] === 'alternate');
  return typeof link?.['@_href'] === 'string' && link['@_href'].trim() ? link['@_href'].trim() : null;
}

function requireId(id: string | null, path: string): string {
  if (!id) throw new PayloadSchemaError(path, 'is required: an entry without an id (or link) cannot be told apart from the others');
  return id;
}

/** Plain text read as HTML keeps its characters. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Feed dates are informative: one a provider wrote badly is left out, not a reason to refuse the feed. */
function lenientIso(text: string | null): Date | null {
  try {
    return parseIsoDate(text, 'date');
  } catch {
    return null;
  }
}

const RFC_822 = /^(\w{3},\s*)?\d{1,2}\s+\w{3}\s+\d{2,4}\s+\d{2}:\d{2}(:\d{2})?\s+([A-Z]{1,3}|[+-]\d{4})$/;

function lenientRfc822(text: string | null): Date | null {
  if (!text || !RFC_822.test(text)) return null;
  const date = new Date(text.replace(/\s+Z$/, ' GMT'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A Statuspage summary.json or incidents.json pushed to the integration's webhook instead of being polled. */
export const statusFeedNormalizer: Normalizer = {
  vendor: 'STATUS_FEED',
  accepts: ['json'],
  normalize: (request) => readStatuspageJson(asRecord(request.body, '$')).entries.map((entry) => entry.alert),
};
