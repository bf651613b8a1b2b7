/**
 * The HTML inside feed entries (Atom `content type="html"`, RSS `description`): read with sanitize-html, which parses
 * whatever markup a provider sends and keeps only paragraphs and line breaks, so the text below comes from its
 * canonical output. Statuspage writes each update as `<small>when</small><br><strong>Status</strong> - text`, the
 * latest first: the first `<strong>` is the entry's current status.
 */
import sanitizeHtml from 'sanitize-html';

export interface FeedHtml {
  /** The text of the first `<strong>` element, trimmed; null when there is none. */
  firstStrong: string | null;
  /** The text, a line per paragraph or line break. */
  text: string;
}

const ESCAPED: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export function readFeedHtml(html: string): FeedHtml {
  let firstStrong: string | null = null;
  const kept = sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'div', 'li'],
    allowedAttributes: {},
    textFilter: (text, tagName) => {
      if (firstStrong === null && tagName === 'strong' && text.trim()) firstStrong = text.trim();
      return text;
    },
  });
  const text = kept
    .replace(/<br \/>/g, '\n')
    .replace(/<\/?(p|div|li)>/g, '\n')
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ESCAPED[entity])
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
  return { firstStrong, text };
}
