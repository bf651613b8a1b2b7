/**
 * The Atom and RSS feeds of a page: one entry per public update of its recent incidents and maintenance windows,
 * newest first, at most 100 (as Cachet caps them), each linking to the page. Built only from the page model, so a
 * feed read twice from the same state is the same bytes (its ETag holds).
 */
import { Feed, type Item } from 'feed';
import { componentState, statusText } from './labels';
import type { AffectedComponent, PublicIncident, PublicMaintenance, PublicPage, PublicUpdate } from '../services/status/public-page';
import type { PageLinks } from './page-links';

export const FEED_MAX_ENTRIES = 100;

// Characters XML 1.0 forbids anywhere, even escaped: a reader would reject the whole feed for one of them.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '');
}

/**
 * Text as HTML for an entry's title and summary (both `type="html"`). Escaping `>` also keeps `]]>` out of the
 * CDATA sections the feed library wraps them in, which it would end at the first one only.
 */
export function htmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r?\n/g, '<br />');
}

export interface Entry {
  update: PublicUpdate;
  subject: PublicIncident | PublicMaintenance;
  kind: 'incident' | 'maintenance';
}

function affectedLine(components: AffectedComponent[]): string {
  if (!components.length) return '';
  const names = components.map((component) => `${component.name} (${componentState(component.impact).text.toLowerCase()})`);
  return `<p>Affected: ${htmlText(names.join(', '))}</p>`;
}

function item({ update, subject, kind }: Entry, links: PageLinks): Item {
  const label = statusText(update.status);
  const title = kind === 'maintenance' ? `Maintenance: ${subject.title} — ${label}` : `${subject.title} — ${label}`;
  return {
    title: htmlText(title),
    // Public ids only, so the same update is the same entry in every reader, for ever.
    id: `${links.page}#update-${update.id}`,
    link: links.page,
    date: update.postedAt,
    published: update.postedAt,
    description: `<p><strong>${htmlText(label)}</strong> — ${htmlText(update.body)}</p>${affectedLine(subject.components)}`,
  };
}

/** The entries of a page, newest first (a later id first among updates of the same instant, so the order is stable). */
export function feedEntries(page: PublicPage): Entry[] {
  const entries: Entry[] = [
    ...page.recentIncidents.flatMap((incident) => incident.updates.map((update): Entry => ({ update, subject: incident, kind: 'incident' }))),
    ...page.recentMaintenances.flatMap((window) => window.updates.map((update): Entry => ({ update, subject: window, kind: 'maintenance' }))),
  ];
  entries.sort((a, b) => b.update.postedAt.getTime() - a.update.postedAt.getTime() || (a.update.id < b.update.id ? 1 : a.update.id > b.update.id ? -1 : 0));
  return entries.slice(0, FEED_MAX_ENTRIES);
}

function feedOf(page: PublicPage, links: PageLinks): Feed {
  const feed = new Feed({
    id: links.page,
    title: xmlSafe(page.title),
    description: xmlSafe(page.description ?? `Incidents and maintenance on ${page.title}`),
    link: links.page,
    // The page's latest change, not the time of rendering: the same state gives the same feed.
    updated: page.updatedAt,
    feedLinks: { atom: links.atom, rss: links.rss },
    // Atom wants an author for a feed whose entries name none: the page speaks for itself.
    author: { name: xmlSafe(page.title), link: links.page },
    generator: 'incident-bridge',
    copyright: '',
  });
  for (const entry of feedEntries(page)) feed.addItem(item(entry, links));
  return feed;
}

export function atomFeed(page: PublicPage, links: PageLinks): string {
  return feedOf(page, links).atom1();
}

export function rssFeed(page: PublicPage, links: PageLinks): string {
  return feedOf(page, links).rss2();
}
