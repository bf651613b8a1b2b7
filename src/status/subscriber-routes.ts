import type { IncomingMessage } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { StatusSubscriberService } from '../services/status/subscriber.service';
import { DomainError, ErrorCode } from '../shared/domain-error';
import { StatusPageRenderer } from './html/status-page.renderer';
import { formFields, subscribeRequestOf } from './subscribe-body';
import * as answers from './subscriber-answers';
import type { Answer } from './subscriber-answers';

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

class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests from this address; retry after ${retryAfterSeconds} s`);
  }
}

/**
 * The public subscriber endpoints (no token): subscribe, confirm, unsubscribe. Opening an unsubscribe link (GET) only
 * asks, on a page with a button; the POST (that button, or a mail client's one-click List-Unsubscribe-Post, RFC 8058)
 * unsubscribes, so a mail scanner that opens every link unsubscribes no one. Answers are the same whether an address
 * was known or not; browsers (Accept text/html) get the status page's message page, with its CSP, everyone else JSON.
 * Limited per client address on each instance.
 */
export async function registerSubscriberRoutes(app: FastifyInstance, deps: SubscriberRouteDeps): Promise<void> {
  const renderer = new StatusPageRenderer();
  const answer = (request: FastifyRequest, reply: FastifyReply, answered: Answer) => send(renderer, request, reply, answered);
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
    scope.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => answer(request, reply, failed(deps, error, request)));

    scope.post<{ Params: SlugParams }>('/status/:slug/subscribers', { bodyLimit: BODY_LIMIT_BYTES }, async (request, reply) => {
      const isForm = (request.headers['content-type'] ?? '').toLowerCase().startsWith(FORM);
      const { page, channel } = await deps.subscribers.subscribe(request.params.slug, subscribeRequestOf(request.body, isForm));
      return answer(request, reply, answers.subscribed(page, channel));
    });

    // A confirmation link confirms when opened (as everywhere double opt-in is done): see docs/status-subscribers.md.
    scope.get<{ Params: SlugParams; Querystring: TokenQuery }>('/status/:slug/subscribers/confirm', async (request, reply) => {
      const { page, outcome } = await deps.subscribers.confirm(request.params.slug, tokenOf(request.query));
      return answer(request, reply, answers.confirmed(page, outcome, deps.publicBaseUrl));
    });

    scope.get<{ Params: SlugParams; Querystring: TokenQuery }>('/status/:slug/subscribers/unsubscribe', async (request, reply) => {
      const token = tokenOf(request.query);
      return answer(request, reply, answers.unsubscribeQuestion(await deps.subscribers.unsubscribeTarget(request.params.slug, token), token));
    });
    scope.post<{ Params: SlugParams; Querystring: TokenQuery }>('/status/:slug/subscribers/unsubscribe', { bodyLimit: BODY_LIMIT_BYTES }, async (request, reply) => {
      const { page } = await deps.subscribers.unsubscribe(request.params.slug, tokenOf(request.query));
      return answer(request, reply, answers.unsubscribed(page));
    });
  });
}

function tokenOf(query: TokenQuery): string {
  const token = typeof query.token === 'string' ? query.token : '';
  if (!token) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'token: is required (the link you followed is incomplete)', 'token');
  return token;
}

/** Browsers (text/html preferred over JSON) get the page; API clients and mail clients' one-click POSTs get JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  const accept = (request.headers.accept ?? '').toLowerCase();
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}

function send(renderer: StatusPageRenderer, request: FastifyRequest, reply: FastifyReply, { status, json, page, headers }: Answer): FastifyReply {
  reply.code(status).headers({ 'cache-control': 'no-store', ...headers });
  if (!wantsHtml(request)) return reply.send(json);
  const rendered = page(renderer);
  return reply.headers(rendered.headers).send(rendered.html);
}

function failed(deps: SubscriberRouteDeps, error: Error & { statusCode?: number }, request: FastifyRequest): Answer {
  const slug = (request.params as Partial<SlugParams> | undefined)?.slug ?? '';
  if (error instanceof RateLimited) return answers.rateLimited(error.retryAfterSeconds);
  if (error instanceof DomainError) {
    if (error.code === ErrorCode.NOT_FOUND) return answers.pageNotFound();
    if (error.code === ErrorCode.BAD_USER_INPUT) return answers.badRequest(error.message, error.field ?? 'body', slug);
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return answers.badRequest(`the body exceeds ${BODY_LIMIT_BYTES} bytes`, 'body', slug, 413);
  if (status === 415) return answers.badRequest(`send application/json or ${FORM}`, 'body', slug, 415);
  if (status >= 400 && status < 500) return answers.badRequest('body: is not valid JSON or form data', 'body', slug);
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: { message: error.message } }, 'status subscriber request answered 503: the database is unavailable');
    return answers.unavailable(deps.retryAfterSeconds);
  }
  request.log.error({ err: error }, 'status subscriber request failed');
  return answers.internalError();
}
