import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IntegrationDeliveryChannel } from '../schema/enums';
import type { IntegrationAuth } from '../services/integration.service';
import { logDeliveriesOf } from './delivery-log';
import { isRecord, type JsonObject } from './vendors/normalizer-helpers';
import { changeEventErrors, eventErrors, generatedDedupKey, routingKeyOf, UNKNOWN_ROUTING_KEY, withoutRoutingKey } from './vendors/pagerduty-events';
import { faultAnswer, rawBodyScope, readJsonBody, secondsSince, type VendorApiDeps } from './vendor-api';
import { flatHeaders, keepRejection, takeIntake, unavailable } from './webhook-routes';

const VENDOR = 'GENERIC';
const THROTTLED = { status: 'throttle event', message: 'Requests for this service are arriving too quickly. Please retry later.' };

/**
 * PagerDuty's Events API v2 on this server: POST /v2/enqueue (alert events) and POST /v2/change/enqueue (change
 * events), authenticated by the body's routing_key = a GENERIC integration's secret, answered as PagerDuty answers.
 * Alert events go through the webhook processor (GENERIC normalizer) and are answered 202 only after they committed;
 * rejections are counted and dead-lettered as webhooks' are, with the routing_key redacted from the kept body.
 */
export async function registerPagerDutyRoutes(app: FastifyInstance, deps: VendorApiDeps): Promise<void> {
  await rawBodyScope(app, deps, (scope) => {
    logDeliveriesOf(scope, deps.deliveryLog, IntegrationDeliveryChannel.PAGERDUTY_EVENTS);
    scope.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
      if (error.statusCode === 413) return invalid(deps, request, reply, null, 413, 'body_too_large', [`Event object is larger than ${deps.bodyLimit} bytes`], null);
      return faultAnswer(deps)(error, request, reply);
    });
    scope.post('/v2/enqueue', (request, reply) => enqueue(deps, request, reply, 'alert'));
    scope.post('/v2/change/enqueue', (request, reply) => enqueue(deps, request, reply, 'change'));
  });
}

async function enqueue(deps: VendorApiDeps, request: FastifyRequest, reply: FastifyReply, kind: 'alert' | 'change'): Promise<FastifyReply> {
  const started = process.hrtime.bigint();
  const wait = deps.authFailures.retryAfterSeconds(request.ip);
  if (wait > 0) return throttle(deps, request, reply, null, 'too_many_auth_failures', wait);
  const read = await readJsonBody(request, deps);
  if (!read.ok) return invalid(deps, request, reply, null, read.status === 413 ? 413 : 400, read.reason, [read.error], null, read.reason === 'malformed_body' ? UNRECOGNIZED : undefined);
  const event = read.json;
  const errors = kind === 'alert' ? eventErrors(event) : changeEventErrors(event);
  // The key is the only credential: until it names an integration nothing of the body is kept.
  const key = routingKeyOf(event);
  const integration = key === null ? null : await deps.keys.byKey(key);
  if (!integration || integration.vendor !== VENDOR) {
    deps.authFailures.recordFailure(request.ip);
    return invalid(deps, request, reply, null, 400, key === null ? 'unauthorized' : 'unknown_integration', key === null ? errors : [UNKNOWN_ROUTING_KEY], null);
  }
  deps.deliveryLog.note(request, { integrationId: integration.id });
  const retryAfter = takeIntake(deps, integration);
  if (retryAfter > 0) return throttle(deps, request, reply, integration, 'rate_limited', retryAfter);
  const kept = Buffer.from(JSON.stringify(withoutRoutingKey(event as JsonObject)));
  if (!integration.enabled) return invalid(deps, request, reply, integration, 400, 'integration_disabled', ['The integration of this routing_key is disabled'], kept);
  if (errors.length) return invalid(deps, request, reply, integration, 400, 'schema_violation', errors, kept);
  const body = event as JsonObject;
  if (kind === 'change') {
    await recordChange(deps, integration, body);
    deps.metrics.accepted(VENDOR, 0, secondsSince(started));
    deps.deliveryLog.note(request, { alerts: 0 });
    return reply.code(202).send({ status: 'success', message: 'Change event processed' });
  }
  const outcome = await deps.processor.process(integration, { contentType: 'application/json', headers: flatHeaders(request), body: kept, publicUrl: `${deps.publicBaseUrl}${request.url}` });
  if (outcome.status !== 202) return invalid(deps, request, reply, integration, 400, outcome.reason, [outcome.error], kept);
  deps.metrics.accepted(VENDOR, outcome.alerts, secondsSince(started));
  deps.deliveryLog.note(request, { alerts: outcome.alerts, duplicate: outcome.result.duplicate === true });
  const sent = typeof body.dedup_key === 'string' && body.dedup_key.trim() !== '' ? body.dedup_key.trim() : null;
  return reply.code(202).send({ status: 'success', message: 'Event processed', dedup_key: sent ?? generatedDedupKey(body) });
}

async function recordChange(deps: VendorApiDeps, integration: IntegrationAuth, body: JsonObject): Promise<void> {
  const payload = body.payload as JsonObject;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  const timestamp = text(payload.timestamp);
  const links = Array.isArray(body.links) ? body.links.filter(isRecord).map((link) => ({ href: String(link.href), ...(typeof link.text === 'string' ? { text: link.text } : {}) })) : [];
  await deps.changeEvents.record({
    serviceId: integration.serviceId,
    integrationId: integration.id,
    summary: (payload.summary as string).trim(),
    source: text(payload.source),
    happenedAt: timestamp === null ? null : new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(timestamp) ? timestamp : `${timestamp}Z`),
    customDetails: isRecord(payload.custom_details) ? payload.custom_details : null,
    links,
  });
}

/** PagerDuty's 400 (and 413): every invalid field named; counted and dead-lettered as a webhook's rejection is. */
async function invalid(
  deps: VendorApiDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  integration: IntegrationAuth | null,
  status: 400 | 413,
  reason: string,
  errors: string[],
  kept: Buffer | null,
  answer: { status: string; message: string; errors: string[] } = { status: 'invalid event', message: 'Event object is invalid', errors },
): Promise<FastifyReply> {
  const recorded = await keepRejection(deps, request, integration, { status, reason, error: errors.join('; '), details: { errors } }, kept);
  if (!recorded) return unavailable(reply, deps.retryAfterSeconds);
  return reply.code(status).send(answer);
}

/** What PagerDuty's published spec answers a body that is not JSON at all. */
const UNRECOGNIZED = { status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] };

/** PagerDuty's 429 with Retry-After: counted, neither kept nor logged above debug (as the webhook route's refusals). */
function throttle(deps: VendorApiDeps, request: FastifyRequest, reply: FastifyReply, integration: IntegrationAuth | null, reason: string, retryAfterSeconds: number): FastifyReply {
  deps.metrics.refused(integration?.vendor ?? 'unknown', reason);
  deps.deliveryLog.note(request, { reason });
  return reply.code(429).header('retry-after', String(retryAfterSeconds)).send(THROTTLED);
}
