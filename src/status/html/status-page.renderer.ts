/**
 * The HTML status page: PublicPage in, a complete document out, through the eta templates in src/status/templates.
 * eta escapes every `<%= %>`; `<%~ %>` (raw) is used only for the page's own style and for included partials.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Eta } from 'eta';
import type { PublicPage } from '../../services/status/public-page';
import { statusPageView } from './status-page.view';
import { templatesDir } from './templates-dir';

export interface RenderedPage {
  html: string;
  /** The response headers every status page document needs (its CSP allows exactly its inline style). */
  headers: Record<string, string>;
}

/** An RCA document as a page: public (published PUBLIC sections) or the internal printable view (every section, marked). */
export interface RcaPageView {
  title: string;
  subtitle: string;
  internal: boolean;
  /** `bodyHtml` is the section's Markdown through the one sanitizing renderer (src/shared/markdown.ts). */
  sections: Array<{ key: string; title: string; bodyHtml: string; internal: boolean }>;
}

/** A short page in the status page's style: a heading, a few sentences, a link on. */
export interface MessagePage {
  /** The status page it is about, shown above the heading and in the document's title. */
  pageTitle?: string;
  heading: string;
  paragraphs: string[];
  /**
   * A button that POSTs to a path on this site (the CSP's form-action 'self' allows nothing else), for what a link
   * must not do by being opened, e.g. unsubscribing.
   */
  form?: { action: string; button: string };
  /** A path on this site (e.g. back to the page); shown as a link. */
  link?: { href: string; text: string };
}

export class StatusPageRenderer {
  private readonly eta: Eta;
  private readonly css: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(dir = templatesDir()) {
    this.eta = new Eta({ views: dir, autoEscape: true, cache: true });
    this.css = readFileSync(join(dir, 'status.css'), 'utf8');
    this.headers = securityHeaders(this.css);
  }

  page(page: PublicPage): RenderedPage {
    return this.document('status-page', { page: statusPageView(page) });
  }

  rca(rca: RcaPageView): RenderedPage {
    return this.document('rca', { rca });
  }

  /** No page has the slug asked for. */
  notFound(): RenderedPage {
    return this.message({ heading: 'Status page not found', paragraphs: ['There is no status page at this address.'], link: { href: '/status', text: 'Go to the main status page' } });
  }

  /** The page could not be read (its database is unavailable). */
  unavailable(retryAfterSeconds: number): RenderedPage {
    return this.message({ heading: 'Status page temporarily unavailable', paragraphs: [`The status page cannot be shown right now. Please try again in ${retryAfterSeconds} seconds.`] });
  }

  /** Any other answer a browser gets from the status pages (e.g. after the subscribe form: "check your inbox"; the unsubscribe question and its button). */
  message(message: MessagePage): RenderedPage {
    return this.document('message', { message });
  }

  /**
   * Any other template in the status pages' style and headers, e.g. the analytics report ('report', { report }), whose
   * view its own module builds: the renderer does not know the shapes of pages above it.
   */
  document(template: string, data: object): RenderedPage {
    return { html: this.eta.render(template, { ...data, css: this.css }), headers: { ...this.headers } };
  }
}

/**
 * No script, no external anything: only the page's own inline style (by its hash, so an injected style or script
 * could not run even if escaping failed), and forms only to this origin.
 */
export function securityHeaders(css: string): Record<string, string> {
  const styleHash = createHash('sha256').update(css, 'utf8').digest('base64');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': [
      "default-src 'none'",
      `style-src 'sha256-${styleHash}'`,
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
