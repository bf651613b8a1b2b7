import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Maintenance descriptions are Markdown. markdown-it turns them into HTML without passing any HTML of the author's
 * through (html: false), and sanitize-html keeps only text formatting and http(s)/mailto links, so whatever a
 * description holds cannot script, style or frame the public page (the CSP would refuse it as well).
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'a'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};

export function markdownToSafeHtml(text: string): string {
  return sanitizeHtml(markdown.render(text), ALLOWED);
}
