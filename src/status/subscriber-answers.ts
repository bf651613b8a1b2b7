import { statusPageUrl, subscriberLink } from '../services/status/subscriber-links';
import type { ConfirmOutcome, PageRef, UnsubscribeTarget } from '../services/status/subscriber.service';
import { SubscriberChannel } from '../shared/enums';
import type { MessagePage, RenderedPage, StatusPageRenderer } from './html/status-page.renderer';

/**
 * What the subscriber endpoints answer: a status, the JSON API clients get, and the page a browser gets instead —
 * always the status page's own message page (its style, its CSP), so every page from /status looks and is guarded alike.
 */
export interface Answer {
  status: number;
  json: Record<string, unknown>;
  page: (renderer: StatusPageRenderer) => RenderedPage;
  headers?: Record<string, string>;
}

const message =
  (page: MessagePage) =>
  (renderer: StatusPageRenderer): RenderedPage =>
    renderer.message(page);

// Links and the form on these pages are paths on this site, as on the status page: the CSP allows forms to 'self' only.
const pagePath = (slug: string) => statusPageUrl('', slug);

function backTo(page: PageRef, text = `Back to ${page.title}`): { href: string; text: string } {
  return { href: pagePath(page.slug), text };
}

export function subscribed(page: PageRef, channel: SubscriberChannel): Answer {
  const email = channel === SubscriberChannel.EMAIL;
  // The same words for a new, a pending and a confirmed address: the e-mail says which it was.
  const text = email
    ? 'Check your inbox: we sent this address an e-mail saying what to do next. Nothing else is sent to it unless its owner confirms.'
    : `Subscribed: updates are posted to this URL${channel === SubscriberChannel.WEBHOOK ? ', signed with your secret' : ''}, each with a link to unsubscribe.`;
  return {
    status: 202,
    json: { channel, message: text },
    page: message({ pageTitle: page.title, heading: email ? 'Check your inbox' : 'Subscribed', paragraphs: [text], link: backTo(page) }),
  };
}

export function confirmed(page: PageRef, outcome: ConfirmOutcome, publicBaseUrl: string): Answer {
  if (outcome === 'CONFIRMED') {
    const text = `Your subscription to ${page.title} is confirmed: you will get its updates by e-mail, each with a link to unsubscribe.`;
    return { status: 200, json: { confirmed: true, message: text }, page: message({ pageTitle: page.title, heading: 'Subscription confirmed', paragraphs: [text], link: backTo(page) }) };
  }
  const text =
    outcome === 'EXPIRED'
      ? 'This confirmation link has expired, so it confirmed nothing. If you confirmed before, nothing changes; otherwise subscribe again on the page for a new link.'
      : 'This subscription was cancelled, so the link confirmed nothing. Subscribe again on the page to get updates.';
  return {
    status: 410,
    json: { error: `token: ${text}`, field: 'token', subscribeUrl: statusPageUrl(publicBaseUrl, page.slug) },
    page: message({ pageTitle: page.title, heading: outcome === 'EXPIRED' ? 'This link has expired' : 'Subscription cancelled', paragraphs: [text], link: backTo(page, 'Subscribe again') }),
  };
}

/** Opening an unsubscribe link only asks; the button (a POST to the same link) unsubscribes. */
export function unsubscribeQuestion({ page, subscription, unsubscribed: done }: UnsubscribeTarget, token: string): Answer {
  if (done) return unsubscribed(page);
  const question = `Unsubscribe ${subscription ?? 'this subscription'} from ${page.title}?`;
  return {
    status: 200,
    json: { unsubscribed: false, subscription, message: `${question} Nothing has changed yet: POST to this URL to unsubscribe.` },
    page: message({
      pageTitle: page.title,
      heading: question,
      paragraphs: ['It will get no more updates from this page. Nothing changes until you press the button.'],
      form: { action: subscriberLink('', page.slug, 'unsubscribe', token), button: 'Unsubscribe' },
      link: backTo(page, `Keep it: back to ${page.title}`),
    }),
  };
}

export function unsubscribed(page: PageRef): Answer {
  const text = `You will get no more updates from ${page.title} at this address.`;
  return { status: 200, json: { unsubscribed: true, message: text }, page: message({ pageTitle: page.title, heading: 'Unsubscribed', paragraphs: [text], link: backTo(page, 'Subscribe again') }) };
}

/** 400 (or 413, 415) naming the field; a browser gets it on a page linking back to the status page (and its form). */
export function badRequest(error: string, field: string, slug: string, status = 400): Answer {
  return {
    status,
    json: { error, field },
    page: message({
      heading: field === 'token' ? 'This link does not work' : 'Please check the form',
      paragraphs: [error],
      link: { href: pagePath(slug), text: 'Back to the status page' },
    }),
  };
}

export function rateLimited(retryAfterSeconds: number): Answer {
  const error = `too many requests from this address; retry after ${retryAfterSeconds} s`;
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    json: { error, retryAfterSeconds },
    page: message({ heading: 'Too many requests', paragraphs: [`Too many requests came from your address. Please try again in ${retryAfterSeconds} seconds.`] }),
  };
}

export function pageNotFound(): Answer {
  return { status: 404, json: { error: 'no such status page' }, page: (renderer) => renderer.notFound() };
}

export function unavailable(retryAfterSeconds: number): Answer {
  return {
    status: 503,
    headers: { 'retry-after': String(retryAfterSeconds) },
    json: { error: 'temporarily unavailable; retry' },
    page: (renderer) => renderer.unavailable(retryAfterSeconds),
  };
}

export function internalError(): Answer {
  return { status: 500, json: { error: 'internal error' }, page: message({ heading: 'Something went wrong', paragraphs: ['Your request could not be handled. Please try again later.'] }) };
}
