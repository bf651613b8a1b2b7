import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { ChangeEventService } from '../services/change-event.service';
import type { IncidentService } from '../services/incident.service';
import type { VendorRequestService } from '../services/vendor-request.service';
import { BodyEncodingError, decodeBody } from './decode-body';
import type { IntegrationKeys } from './integration-keys';
import { BodyError, parseBodyText } from './parse-body';
import { rawBody, unavailable, type WebhookRouteDeps } from './webhook-routes';

/**
 * What the drop-in vendor APIs (PagerDuty Events API v2, Opsgenie Alert API) work through: the webhook gateway's
 * processor, dead letters, metrics, limits and intake allowance, plus the integrations found by key.
 */
export interface VendorApiDeps extends Omit<WebhookRouteDeps, 'cache' | 'log'> {
  keys: IntegrationKeys;
  changeEvents: ChangeEventService;
  vendorRequests: VendorRequestService;
  incidents: Pick<IncidentService, 'addNote'>;
}

/** A scope whose bodies arrive as raw bytes (dead letters keep them as received), and whose faults are 503s. */
export async function rawBodyScope(app: FastifyInstance, deps: VendorApiDeps, routes: (scope: FastifyInstance) => void): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_request, body, done) => done(null, body));
    routes(scope);
  });
}

/** Logs a fault as the webhook route does and answers 503 with Retry-After. */
export function faultAnswer(deps: VendorApiDeps) {
  return async (error: Error & { statusCode?: number; code?: string }, request: FastifyRequest, reply: Parameters<typeof unavailable>[0]) => {
    if (isDatabaseUnavailable(error)) request.log.warn({ err: { message: error.message, code: error.code } }, 'vendor API answered 503: the database is unavailable');
    else request.log.error({ err: error }, 'vendor API request failed');
    return unavailable(reply, deps.retryAfterSeconds);
  };
}

export type ReadBody = { ok: true; body: Buffer; json: unknown } | { ok: false; status: 400 | 413 | 415; reason: string; error: string; kept: Buffer | null };

/** The body decoded from its Content-Encoding and parsed as JSON (an empty body is `{}`: Opsgenie's close may have none). */
export async function readJsonBody(request: FastifyRequest, deps: VendorApiDeps): Promise<ReadBody> {
  const received = rawBody(request);
  let body: Buffer;
  try {
    body = await decodeBody(received, request.headers['content-encoding'], deps.bodyLimit);
  } catch (error) {
    if (!(error instanceof BodyEncodingError)) throw error;
    return { ok: false, status: error.status, reason: error.reason, error: error.message, kept: error.status === 413 ? null : received };
  }
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: true, body, json: {} };
  try {
    return { ok: true, body, json: parseBodyText('json', text) };
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    return { ok: false, status: 400, reason: error.reason, error: error.message, kept: body };
  }
}

/** Seconds since `started` (process.hrtime.bigint()), as Opsgenie's `took` and the ingest histogram want them. */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
