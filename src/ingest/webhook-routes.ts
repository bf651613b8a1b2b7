import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { DeadLetterService } from '../services/dead-letter.service';
import type { IntegrationAuth } from '../services/integration.service';
import type { AuthFailureLimiter } from '../shared/auth-failure-limiter';
import type { Clock } from '../shared/clock';
import type { RateLimiter } from '../shared/rate-limiter';
import type { IntegrationCache } from './integration-cache';
import { BodyEncodingError, decodeBody } from './decode-body';
import { logDeliveriesOf, type DeliveryLog } from './delivery-log';
import { IntegrationDeliveryChannel } from '../schema/enums';
import { intakeLimitPerMinute } from '../schema/integration-options';
import { printable } from './parse-body';
import { anonymousHeaders, headersWithoutSecrets, presentedSecret, queryWithoutSecret, secretMatches, UNAUTHENTICATED_REASONS } from './webhook-auth';
import type { WebhookMetrics } from './webhook-metrics';
import type { WebhookProcessor } from './webhook-processor';

export interface WebhookRouteDeps {
  cache: IntegrationCache;
  processor: WebhookProcessor;
  deadLetters: DeadLetterService;
  metrics: WebhookMetrics;
  clock: Clock;
  log: Logger;
  publicBaseUrl: string;
  bodyLimit: number;
  /** Shared with GraphQL authentication: one count of failures per client address for the whole process. */
  authFailures: AuthFailureLimiter;
  /** Deliveries per minute for integrations without their own `rateLimitPerMinute`. */
  defaultRateLimitPerMinute: number;
  /** Retry-After of every 503 (RETRY_AFTER_SECONDS). */
  retryAfterSeconds: number;
  /** Deliveries taken in per integration, shared with the vendor APIs (PagerDuty, Opsgenie) so a key has one limit. */
  intake: RateLimiter;
  /** Every delivery that names an integration is logged (channel, outcome, code, latency), batched. */
  deliveryLog: DeliveryLog;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const NO_QUERY = new URLSearchParams();

function queryOf(url: string): URLSearchParams {
  const mark = url.indexOf('?');
  return mark < 0 ? NO_QUERY : new URLSearchParams(url.slice(mark + 1));
}

export interface Rejection {
  status: number;
  reason: string;
  error: string;
  details?: Record<string, unknown>;
}

interface Refusal {
  reason: 'too_many_auth_failures' | 'rate_limited';
  error: string;
  retryAfterSeconds: number;
  details?: Record<string, unknown>;
}

/**
 * POST /webhooks/:integrationId — answered 202 only after what it carried is committed. Every rejection is
 * counted; authenticated ones are kept as dead letters (decoded body, headers without secrets), unauthenticated
 * ones as a capped sample; 429s (rate limits) only counted. A dead letter that cannot be written is a 503.
 */
export async function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  /** Integrations whose secret the request presented, set before its body is read. */
  const authenticated = new WeakMap<FastifyRequest, IntegrationAuth>();

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Raw bytes: signatures are computed over them and dead letters keep them as received.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_request, body, done) => done(null, body));
    logDeliveriesOf(scope, deps.deliveryLog, IntegrationDeliveryChannel.WEBHOOK);

    // Who is calling is settled from the URL and headers alone, before the body is read: guesses and
    // over-limit deliveries cost no body and no parsing.
    scope.addHook('onRequest', async (request, reply) => {
      const wait = deps.authFailures.retryAfterSeconds(request.ip);
      if (wait > 0) {
        return refuse(deps, request, reply, null, {
          reason: 'too_many_auth_failures',
          error: `too many failed authentications from this address; retry after ${wait} s`,
          retryAfterSeconds: wait,
        });
      }
      const integrationId = (request.params as { integrationId?: string }).integrationId ?? '';
      const id = UUID.test(integrationId) ? integrationId.toLowerCase() : null;
      const integration = id === null ? null : (deps.cache.peek(id) ?? (await deps.cache.get(id)));
      if (!integration) {
        deps.authFailures.recordFailure(request.ip);
        return rejectRequest(deps, request, reply, null, { status: 404, reason: 'unknown_integration', error: `no integration ${integrationId}`, details: { integrationId } });
      }
      if (!secretMatches(integration, presentedSecret(request.headers.authorization, queryOf(request.url)), deps.clock.now())) {
        deps.authFailures.recordFailure(request.ip);
        return rejectRequest(deps, request, reply, integration, {
          status: 401,
          reason: 'unauthorized',
          error: 'send the integration secret as Authorization: Bearer <secret>, Basic auth password, or ?key=<secret>',
        });
      }
      deps.deliveryLog.note(request, { integrationId: integration.id });
      const perMinute = intakeLimitPerMinute(integration.options, deps.defaultRateLimitPerMinute);
      const retryAfterSeconds = takeIntake(deps, integration);
      if (retryAfterSeconds > 0) {
        return refuse(deps, request, reply, integration, {
          reason: 'rate_limited',
          error: `integration ${integration.id} accepts ${perMinute} deliveries per minute; retry after ${retryAfterSeconds} s`,
          retryAfterSeconds,
          details: { limitPerMinute: perMinute },
        });
      }
      authenticated.set(request, integration);
    });

    scope.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 500) {
        // An outage is one warning per refused delivery, not an error with a stack each time.
        if (isDatabaseUnavailable(error)) request.log.warn({ err: { message: error.message, code: error.code } }, 'webhook answered 503: the database is unavailable');
        else request.log.error({ err: error }, 'webhook failed');
        return unavailable(reply, deps.retryAfterSeconds);
      }
      const reason = status === 413 ? 'body_too_large' : 'bad_request';
      const message = status === 413 ? `body exceeds the limit of ${deps.bodyLimit} bytes` : printable(error.message);
      return rejectRequest(deps, request, reply, authenticated.get(request) ?? null, { status, reason, error: message, details: { limitBytes: deps.bodyLimit } });
    });

    scope.post<{ Params: { integrationId: string } }>('/webhooks/:integrationId', async (request, reply) => {
      const started = process.hrtime.bigint();
      const integration = authenticated.get(request) as IntegrationAuth;
      const received = rawBody(request);
      let body: Buffer;
      try {
        // Before anything reads the body: Twilio signs the decoded form fields, and dead letters keep what can be replayed.
        body = await decodeBody(received, request.headers['content-encoding'], deps.bodyLimit);
      } catch (error) {
        if (!(error instanceof BodyEncodingError)) throw error;
        const kept = error.status === 413 ? null : received;
        return rejectRequest(deps, request, reply, integration, { status: error.status, reason: error.reason, error: error.message, details: error.details }, kept);
      }
      if (!integration.enabled) {
        return rejectRequest(deps, request, reply, integration, { status: 403, reason: 'integration_disabled', error: `integration ${integration.id} is disabled` }, body);
      }
      const outcome = await deps.processor.process(integration, {
        contentType: request.headers['content-type'],
        headers: flatHeaders(request),
        body,
        publicUrl: `${deps.publicBaseUrl}${request.url}`,
      });
      if (outcome.status !== 202) {
        if (UNAUTHENTICATED_REASONS.has(outcome.reason)) deps.authFailures.recordFailure(request.ip);
        return rejectRequest(deps, request, reply, integration, outcome, body);
      }
      deps.metrics.accepted(integration.vendor, outcome.alerts, Number(process.hrtime.bigint() - started) / 1e9);
      deps.deliveryLog.note(request, { alerts: outcome.alerts, duplicate: outcome.result.duplicate === true });
      return reply.code(202).send({
        accepted: outcome.alerts,
        alertIds: outcome.result.alertIds,
        incidentIds: outcome.result.incidentIds,
        ignored: outcome.result.ignored,
        ...(outcome.result.duplicate ? { duplicate: true } : {}),
        ...(outcome.command ? { command: outcome.command } : {}),
      });
    });
  });
}

/**
 * 429 with Retry-After, counted but neither kept as a dead letter nor logged above debug: the sender is told
 * when to come back, and a storm or a guessing run would otherwise fill the table and the logs.
 */
function refuse(deps: WebhookRouteDeps, request: FastifyRequest, reply: FastifyReply, integration: IntegrationAuth | null, refusal: Refusal): FastifyReply {
  const vendor = integration?.vendor ?? 'unknown';
  deps.metrics.refused(vendor, refusal.reason);
  deps.deliveryLog.note(request, { reason: refusal.reason });
  request.log.debug({ vendor, integrationId: integration?.id, reason: refusal.reason, retryAfterSeconds: refusal.retryAfterSeconds }, 'webhook refused');
  return reply
    .code(429)
    .header('retry-after', String(refusal.retryAfterSeconds))
    .send({ error: refusal.error, reason: refusal.reason, details: { ...refusal.details, retryAfterSeconds: refusal.retryAfterSeconds } });
}

async function rejectRequest(
  deps: WebhookRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  integration: IntegrationAuth | null,
  rejection: Rejection,
  /** What to keep for replay: the decoded body once there is one, else what arrived. */
  received: Buffer | null = Buffer.isBuffer(request.body) ? request.body : null,
): Promise<FastifyReply> {
  const kept = await keepRejection(deps, request, integration, rejection, received);
  if (!kept) return unavailable(reply, deps.retryAfterSeconds);
  return reply.code(rejection.status).send({ error: rejection.error, reason: rejection.reason, details: rejection.details ?? {}, deadLetterId: kept.deadLetterId });
}

/**
 * Takes one delivery from the integration's intake allowance: 0 when taken, else the whole seconds until one is free.
 * Each instance counts intake on its own (see README, rate limits): a shared counter would cost every delivery a round trip.
 */
export function takeIntake(deps: Pick<WebhookRouteDeps, 'intake' | 'defaultRateLimitPerMinute'>, integration: IntegrationAuth): number {
  const perMinute = intakeLimitPerMinute(integration.options, deps.defaultRateLimitPerMinute);
  const limit = { perMinute, burst: perMinute };
  return deps.intake.take(integration.id, limit) ? 0 : Math.max(1, deps.intake.secondsUntilToken(integration.id, limit));
}

/**
 * Counts a rejection and keeps it as a dead letter (authenticated: whole, for replay; else a capped sample), as every
 * way in does; null when the dead letter could not be written (answer 503, so the sender retries).
 */
export async function keepRejection(
  deps: Pick<WebhookRouteDeps, 'deadLetters' | 'metrics' | 'deliveryLog'>,
  request: FastifyRequest,
  integration: IntegrationAuth | null,
  rejection: Rejection,
  received: Buffer | null,
): Promise<{ deadLetterId: string | null } | null> {
  const vendor = integration?.vendor ?? 'unknown';
  deps.metrics.refused(vendor, rejection.reason);
  if (integration) deps.deliveryLog.note(request, { integrationId: integration.id, reason: rejection.reason });
  // Anyone can send unauthenticated requests: they are counted, and only a capped sample is kept (without body,
  // query or most headers), so guessing cannot fill the table. Authenticated ones are kept whole, for replay.
  const authenticated = integration !== null && !UNAUTHENTICATED_REASONS.has(rejection.reason);
  const entry = {
    integrationId: integration?.id ?? null,
    vendor: integration?.vendor ?? null,
    httpStatus: rejection.status,
    reason: rejection.reason,
    details: { error: rejection.error, ...rejection.details },
    contentType: request.headers['content-type']?.slice(0, 200) ?? null,
    bodySize: received?.length ?? Math.max(rawBody(request).length, declaredSize(request.headers['content-length'])),
  };
  let deadLetterId: string | null;
  try {
    deadLetterId = authenticated
      ? await deps.deadLetters.record({ ...entry, headers: headersWithoutSecrets(request.headers), query: queryWithoutSecret(queryOf(request.url)), body: received })
      : await deps.deadLetters.recordUnauthenticated({ ...entry, headers: anonymousHeaders(request.headers), query: null, body: null });
  } catch (error) {
    // Answering the rejection would lose the delivery: a 503 makes the sender retry it instead.
    deps.metrics.deadLetterFailed();
    request.log.error({ err: error, vendor, integrationId: integration?.id, reason: rejection.reason }, 'could not keep a dead letter; answering 503');
    return null;
  }
  const logged = { vendor, integrationId: integration?.id, status: rejection.status, reason: rejection.reason, error: rejection.error, deadLetterId };
  if (authenticated || deadLetterId) request.log.warn(logged, 'webhook rejected');
  else request.log.debug(logged, 'webhook rejected (counted, beyond the sample)');
  return { deadLetterId };
}

/** 503 for faults the sender should retry past (the database, a dead letter that could not be written). */
export function unavailable(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  return reply.code(503).header('retry-after', String(retryAfterSeconds)).send({ error: 'temporarily unavailable; retry the delivery', details: {} });
}

/** Content-Length as a storable size: what the sender declared, capped at the int column's range. */
export function declaredSize(header: string | undefined): number {
  const size = Number.parseInt(header ?? '0', 10);
  return Number.isFinite(size) && size > 0 ? Math.min(size, 2 ** 31 - 1) : 0;
}

export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

export function flatHeaders(request: FastifyRequest): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}
