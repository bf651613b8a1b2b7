/** The text of a subscriber's e-mail or Slack message: one update, or a digest of those that came within the window. Pure. */
import { utcMinute } from './public-notices';

export interface DigestEntry {
  subject: string;
  body: string;
  at: Date;
}

export interface MessagePage {
  title: string;
  url: string;
}

const DIGEST_ENTRIES_MAX = 50;

/**
 * One entry: its subject and body as they are. Several, oldest first: a subject naming the page and the count, and
 * each entry with its time (the latest 50 when more came: a flapping day is summed up, not replayed). Every message
 * ends with the page's address and the subscriber's own unsubscribe link.
 */
export function subscriberMessage(page: MessagePage, entries: DigestEntry[], unsubscribeUrl: string): { subject: string; body: string } {
  const footer = `—\n${page.title}: ${page.url}\nUnsubscribe: ${unsubscribeUrl}`;
  const ordered = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (ordered.length === 1) return { subject: ordered[0].subject, body: `${ordered[0].body}\n\n${footer}` };
  const shown = ordered.slice(-DIGEST_ENTRIES_MAX);
  const omitted = ordered.length - shown.length;
  const lines = shown.map((entry) => `${utcMinute(entry.at)} — ${entry.subject}\n${entry.body}`);
  const intro = omitted ? `${ordered.length} updates; the latest ${shown.length}:` : `${ordered.length} updates:`;
  return { subject: `${page.title}: ${ordered.length} updates`, body: `${intro}\n\n${lines.join('\n\n')}\n\n${footer}` };
}
