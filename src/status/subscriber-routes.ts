import type { IncomingMessage } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable';
import { statusPageUrl } from '../services/status/subscriber-links';
import type { ConfirmOutcome, PageRef, StatusSubscriberService } from '../services/status/subscriber.service';
import { DomainError, ErrorCode } from '../shared/domain-error';
import { SubscriberChannel } from '../shared/enums';
import { formFields, subscribeRequestOf } from './subscribe-body';
import { renderAnswerPage, type AnswerPage } from './subscriber-pages';

export interface SubscriberRouteDeps {
  subscribers: StatusSubscriberService;
  /** The client's address as every surface reads it (TRUST_PROXY): requests are limited per address. */
  clientAddress: (request: IncomingMessage) => string;
  /** Requests to these routes per minute from one address (STATUS_SUBSCRIBE_RATE_PER_MINUTE), on each instance. */
  ratePerMinute: number;
  publicBaseUrl: string;
  /** Retry-After of every 503 (RETRY_AFTER_SECONDS). */
  retryAfterSeconds: number;
}

interface SlugParams {
  slug: string;
}

interface TokenQuery {
  token?: string;
}

/** A subscribe request is a few fields: anything bigger is not one. */
const BODY_LIMIT_BYTES = 16 * 1024;
const FORM = 'application/x-www-form-urlencoded';

/** An answer: its status, its JSON, and the page a browser gets instead. */
interface Answer {
  status: number;
  json: Record<string, unknown>;
  html: AnswerPage;
}

class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests from this address; retry after ${retryAfterSeconds} s`);
  }
}

/**
 * The public subscriber endpoints (no token): subscribe, confirm, unsubscribe (GET from the link, POST for one-click
 * List-Unsubscribe-Post, RFC 8058). Answers are the same whether an address was known or not; browsers (Accept
 * text/html) get a small escaped page, everyone else JSON. Limited per client address on each instance.
 */
export async function registerSubscriberRoutes(app: FastifyInstance, deps: SubscriberRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      max: deps.ratePerMinute,
      timeWindow: 60_000,
      // As the other per-address limits: bounded memory, the least recently seen address forgotten first.
      cache: 50_000,
      keyGenerator: (request) => normalizeIP(deps.clientAddress(request.raw)),
      errorResponseBuilder: (_request, context) => new RateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
    });
    scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => done(null, formFields(body as string)));
    scope.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => failed(deps, error, request, reply));

    scope.post<{ Params: SlugParams }>('/status/:slug/subscribers', { bodyLimit: BODY_LIMIT_BYTES }, async (request, reply) => {
      const isForm = (request.headers['content-type'] ?? '').toLowerCase().startsWith(FORM);
      const { page, channel } = await deps.subscribers.subscribe(request.params.slug, subscribeRequestOf(request.body, isForm));
      return answer(request, reply, subscribed(deps, page, channel));
    });

    scope.get<{ Params: SlugParams; Querystring: TokenQuery }>('/status/:slug/subscribers/confirm', async (request, reply) => {
      const { page, outcome } = await deps.subscribers.confirm(request.params.slug, tokenOf(request.query));
      return answer(request, reply, confirmed(deps, page, outcome));
    });

    const unsubscribe = async (request: FastifyRequest<{ Params: SlugParams; Querystring: TokenQuery }>, reply: FastifyReply) => {
      const { page } = await deps.subscribers.unsubscribe(request.params.slug, tokenOf(request.query));
      return answer(request, reply, unsubscribed(deps, page));
    };
    scope.get('/status/:slug/subscribers/unsubscribe', unsubscribe);
    scope.post('/status/:slug/subscribers/unsubscribe', { bodyLimit: BODY_LIMIT_BYTES }, unsubscribe);
  });
}

function tokenOf(query: TokenQuery): string {
  const token = typeof query.token === 'string' ? query.token : '';
  if (!token) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'token: is required (the link you followed is incomplete)', 'token');
  return token;
}

function subscribed(deps: SubscriberRouteDeps, page: PageRef, channel: SubscriberChannel): Answer {
  const email = channel === SubscriberChannel.EMAIL;
  // The same words for a new, a pending and a confirmed address: the e-mail says which it was.
  const message = email
    ? 'Check your inbox: we sent this address an e-mail saying what to do next. Nothing else is sent to it unless its owner confirms.'
    : `Subscribed: updates are posted to this URL${channel === SubscriberChannel.WEBHOOK ? ', signed with your secret' : ''}, each with a link to unsubscribe.`;
  return {
    status: 202,
    json: { channel, message },
    html: { pageTitle: page.title, heading: email ? 'Check your inbox' : 'Subscribed', paragraphs: [message], link: backTo(deps, page) },
  };
}

function confirmed(deps: SubscriberRouteDeps, page: PageRef, outcome: ConfirmOutcome): Answer {
  if (outcome === 'CONFIRMED') {
    const message = `Your subscription to ${page.title} is confirmed: you will get its updates by e-mail, each with a link to unsubscribe.`;
    return { status: 200, json: { confirmed: true, message }, html: { pageTitle: page.title, heading: 'Subscription confirmed', paragraphs: [message], link: backTo(deps, page) } };
  }
  const message =
    outcome === 'EXPIRED'
      ? 'This confirmation link has expired, so it confirmed nothing. If you confirmed before, nothing changes; otherwise subscribe again on the page for a new link.'
      : 'This subscription was cancelled, so the link confirmed nothing. Subscribe again on the page to get updates.';
  return {
    status: 410,
    json: { error: `token: ${message}`, field: 'token', subscribeUrl: statusPageUrl(deps.publicBaseUrl, page.slug) },
    html: { pageTitle: page.title, heading: outcome === 'EXPIRED' ? 'This link has expired' : 'Subscription cancelled', paragraphs: [message], link: { ...backTo(deps, page), text: 'Subscribe again' } },
  };
}

function unsubscribed(deps: SubscriberRouteDeps, page: PageRef): Answer {
  const message = `You will get no more updates from ${page.title} at this address.`;
  return { status: 200, json: { unsubscribed: true, message }, html: { pageTitle: page.title, heading: 'Unsubscribed', paragraphs: [message], link: { ...backTo(deps, page), text: 'Subscribe again' } } };
}

function backTo(deps: SubscriberRouteDeps, page: PageRef): { href: string; text: string } {
  return { href: statusPageUrl(deps.publicBaseUrl, page.slug), text: `Back to ${page.title}` };
}

/** Browsers (text/html preferred over JSON) get the page; API clients and mail clients' one-click POSTs get JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  const accept = (request.headers.accept ?? '').toLowerCase();
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}

function answer(request: FastifyRequest, reply: FastifyReply, { status, json, html }: Answer): FastifyReply {
  reply.code(status).header('cache-control', 'no-store');
  if (wantsHtml(request)) return reply.type('text/html; charset=utf-8').send(renderAnswerPage(html));
  return reply.send(json);
}

function failed(deps: SubscriberRouteDeps, error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RateLimited) return reply.code(429).header('retry-after', String(error.retryAfterSeconds)).send({ error: error.message, retryAfterSeconds: error.retryAfterSeconds });
  if (error instanceof DomainError) {
    if (error.code === ErrorCode.NOT_FOUND) return reply.code(404).send({ error: 'no such status page' });
    if (error.code === ErrorCode.BAD_USER_INPUT) return badRequest(deps, request, reply, error.message, error.field ?? 'body');
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return reply.code(413).send({ error: `the body exceeds ${BODY_LIMIT_BYTES} bytes`, field: 'body' });
  if (status === 415) return reply.code(415).send({ error: `send application/json or ${FORM}`, field: 'body' });
  if (status >= 400 && status < 500) return badRequest(deps, request, reply, 'body: is not valid JSON or form data', 'body');
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: { message: error.message } }, 'status subscriber request answered 503: the database is unavailable');
    return reply.code(503).header('retry-after', String(deps.retryAfterSeconds)).send({ error: 'temporarily unavailable; retry' });
  }
  request.log.error({ err: error }, 'status subscriber request failed');
  return reply.code(500).send({ error: 'internal error' });
}

/** 400 naming the field; a browser gets it on a page linking back to the form. */
function badRequest(deps: SubscriberRouteDeps, request: FastifyRequest, reply: FastifyReply, message: string, field: string): FastifyReply {
  reply.code(400);
  if (!wantsHtml(request)) return reply.send({ error: message, field });
  const slug = (request.params as Partial<SlugParams>).slug ?? '';
  return reply.type('text/html; charset=utf-8').send(
    renderAnswerPage({ pageTitle: 'Status page', heading: 'Please check the form', paragraphs: [message], link: { href: statusPageUrl(deps.publicBaseUrl, slug), text: 'Back to the status page' } }),
  );
}
