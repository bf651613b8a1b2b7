import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * The one Markdown renderer (maintenance descriptions on the status page, RCA documents everywhere). markdown-it turns
 * Markdown into HTML without passing any HTML of the author's through (html: false), and sanitize-html keeps only
 * text formatting, headings, tables and http(s)/mailto links, so whatever a text holds cannot script, style, frame or
 * load anything into the page that shows it (the CSP would refuse it as well).
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'a', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'del'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // A heading inside a section must not outrank the section's own title on the page (h2).
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    h1: 'h3',
    h2: 'h3',
  },
};

export function markdownToSafeHtml(text: string): string {
  return sanitizeHtml(markdown.render(text), ALLOWED);
}

const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|<>~&]/g;

/**
 * Data (a person's name, a title, a category) placed into generated Markdown: every character Markdown would read as
 * syntax is backslash-escaped and line breaks become spaces, so the text shows as typed and never starts a list,
 * heading, link or table cell.
 */
export function markdownText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(MARKDOWN_PUNCTUATION, (character) => `\\${character}`);
}
