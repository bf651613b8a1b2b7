import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IntegrationDeliveryChannel } from '../schema/enums';
import type { IntegrationAuth } from '../services/integration.service';
import type { VendorRequestOutcome } from '../services/vendor-request.service';
import { ActorType } from '../shared/enums';
import { logDeliveriesOf } from './delivery-log';
import type { JsonObject } from './vendors/normalizer-helpers';
import { opsgenieAlias, opsgenieErrors, type OpsgenieAction, type OpsgenieCall } from './vendors/opsgenie.normalizer';
import { faultAnswer, rawBodyScope, readJsonBody, secondsSince, type VendorApiDeps } from './vendor-api';
import { flatHeaders, keepRejection, takeIntake, unavailable } from './webhook-routes';

const VENDOR = 'OPSGENIE';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GENIE_KEY = /^GenieKey\s+(\S+)$/i;
/** Opsgenie's names of each action (request status `action`) and of what it did (`status`). */
const ACTION_NAMES: Record<OpsgenieAction, { action: string; done: string }> = {
  create: { action: 'Create', done: 'Created alert' },
  close: { action: 'Close', done: 'Closed alert' },
  acknowledge: { action: 'Acknowledge', done: 'Acknowledged alert' },
  note: { action: 'AddNote', done: 'Added note' },
};
const NO_ALERT = 'Alert does not exist';

interface Call {
  started: bigint;
  requestId: string;
  integration: IntegrationAuth | null;
}

/**
 * Opsgenie's Alert API on this server: create (POST /v2/alerts), close, acknowledge and notes
 * (POST /v2/alerts/{identifier}/…, identifierType=id|alias) and the request status clients poll
 * (GET /v2/alerts/requests/{requestId}), authenticated by `Authorization: GenieKey <secret>` of an OPSGENIE integration.
 * Opsgenie answers 202 and works later; here the work is committed before the 202, and its outcome stored so any
 * instance answers the poll. Rejections are counted and dead-lettered as webhooks' are.
 */
export async function registerOpsgenieRoutes(app: FastifyInstance, deps: VendorApiDeps): Promise<void> {
  const calls = new WeakMap<FastifyRequest, Call>();
  const callOf = (request: FastifyRequest): Call => calls.get(request) ?? { started: process.hrtime.bigint(), requestId: randomUUID(), integration: null };
  const answer = (reply: FastifyReply, call: Call, status: number, body: Record<string, unknown>) =>
    reply.code(status).header('x-request-id', call.requestId).send({ ...body, took: Math.round(secondsSince(call.started) * 1000) / 1000, requestId: call.requestId });

  /** A rejection as Opsgenie words it, counted and dead-lettered (`kept`: what a replay needs). */
  const reject = async (request: FastifyRequest, reply: FastifyReply, status: number, reason: string, message: string, kept: Buffer | null, errors?: Record<string, string>) => {
    const call = callOf(request);
    const recorded = await keepRejection(deps, request, call.integration, { status, reason, error: message, details: errors ? { errors } : {} }, kept);
    if (!recorded) return unavailable(reply, deps.retryAfterSeconds);
    return answer(reply, call, status, { message, ...(errors ? { errors } : {}) });
  };

  await rawBodyScope(app, deps, (scope) => {
    logDeliveriesOf(scope, deps.deliveryLog, IntegrationDeliveryChannel.OPSGENIE);
    // Who is calling is settled from the header alone, before the body is read, as for webhooks.
    scope.addHook('onRequest', async (request, reply) => {
      const call: Call = { started: process.hrtime.bigint(), requestId: randomUUID(), integration: null };
      calls.set(request, call);
      const wait = deps.authFailures.retryAfterSeconds(request.ip);
      if (wait > 0) return refuse(request, reply, call, 'too_many_auth_failures', wait);
      const key = GENIE_KEY.exec(request.headers.authorization ?? '')?.[1] ?? null;
      const integration = key === null ? null : await deps.keys.byKey(key);
      if (!integration || integration.vendor !== VENDOR) {
        deps.authFailures.recordFailure(request.ip);
        return reject(request, reply, 401, key === null ? 'unauthorized' : 'unknown_integration', 'Could not authenticate', null);
      }
      call.integration = integration;
      deps.deliveryLog.note(request, { integrationId: integration.id });
      if (request.method !== 'POST') return;
      const retryAfter = takeIntake(deps, integration);
      if (retryAfter > 0) return refuse(request, reply, call, 'rate_limited', retryAfter);
    });

    scope.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
      if (error.statusCode === 413) return reject(request, reply, 413, 'body_too_large', `Request body is larger than ${deps.bodyLimit} bytes.`, null);
      return faultAnswer(deps)(error, request, reply);
    });

    const handle = (action: OpsgenieAction) => async (request: FastifyRequest, reply: FastifyReply) => {
      const call = callOf(request);
      const integration = call.integration as IntegrationAuth;
      const read = await readJsonBody(request, deps);
      if (!read.ok) return reject(request, reply, read.status, read.reason, read.status === 400 ? 'Could not parse the request body as JSON.' : read.error, read.kept);
      if (!integration.enabled) return reject(request, reply, 401, 'integration_disabled', 'Integration is disabled', read.body);
      const body = read.json;
      const errors = opsgenieErrors(action, body);
      if (Object.keys(errors).length) return reject(request, reply, 422, 'schema_violation', 'Request body is not processable. Please check the errors.', read.body, errors);
      const request_ = body as JsonObject;
      const identifier = (request.params as { identifier?: string }).identifier ?? null;
      const identifierType = (request.query as { identifierType?: string }).identifierType ?? 'id';
      let alias: string | null = null;
      if (action !== 'create') {
        if (identifierType === 'tiny') return reject(request, reply, 422, 'unsupported_identifier', 'identifierType tiny is not supported here; use id or alias.', read.body);
        if (identifierType !== 'id' && identifierType !== 'alias') return reject(request, reply, 422, 'schema_violation', `Invalid identifierType [${identifierType}]; expected id, alias or tiny.`, read.body);
        alias = identifierType === 'alias' ? (identifier as string) : UUID.test(identifier ?? '') ? ((await deps.vendorRequests.alertById(integration.id, identifier as string))?.alias ?? null) : null;
        // Opsgenie takes the request and reports the missing alert in its status; so does this.
        if (alias === null) return accepted(reply, call, outcome(call, action, { success: false, alertId: null, alias: identifierType === 'alias' ? identifier : null }));
      }
      if (action === 'note') return accepted(reply, call, addNote(call, alias as string, request_));
      const document: OpsgenieCall = { action, alias, request: request_ };
      const kept = Buffer.from(JSON.stringify(document));
      const processed = await deps.processor.process(integration, { contentType: 'application/json', headers: flatHeaders(request), body: kept, publicUrl: `${deps.publicBaseUrl}${request.url}` });
      if (processed.status !== 202) return reject(request, reply, 422, processed.reason, processed.error, kept);
      deps.metrics.accepted(VENDOR, processed.alerts, secondsSince(call.started));
      deps.deliveryLog.note(request, { alerts: processed.alerts });
      const alertId = processed.result.alertIds[0] ?? null;
      return accepted(reply, call, outcome(call, action, { success: alertId !== null, alertId, alias: alias ?? opsgenieAlias(request_) }));
    };

    scope.post('/v2/alerts', handle('create'));
    scope.post('/v2/alerts/:identifier/close', handle('close'));
    scope.post('/v2/alerts/:identifier/acknowledge', handle('acknowledge'));
    scope.post('/v2/alerts/:identifier/notes', handle('note'));
    scope.get<{ Params: { requestId: string } }>('/v2/alerts/requests/:requestId', async (request, reply) => {
      const call = callOf(request);
      const found = UUID.test(request.params.requestId) ? await deps.vendorRequests.get((call.integration as IntegrationAuth).id, request.params.requestId.toLowerCase()) : null;
      if (!found) return answer(reply, call, 404, { message: 'Request not found. It might not be processed, yet.' });
      return answer(reply, call, 200, {
        data: {
          success: found.success,
          action: found.action,
          processedAt: found.processedAt.toISOString(),
          integrationId: found.integrationId,
          isSuccess: found.success,
          status: found.status,
          alertId: found.alertId ?? '',
          alias: found.alias ?? '',
        },
      });
    });
  });

  /** The request's outcome, stored before the answer so the poll finds it on any instance. */
  function outcome(call: Call, action: OpsgenieAction, result: { success: boolean; alertId: string | null; alias: string | null }): Promise<VendorRequestOutcome> {
    return deps.vendorRequests.record({
      requestId: call.requestId,
      integrationId: (call.integration as IntegrationAuth).id,
      action: ACTION_NAMES[action].action,
      success: result.success,
      status: result.success ? ACTION_NAMES[action].done : NO_ALERT,
      alertId: result.alertId,
      alias: result.alias,
    });
  }

  /** A note goes on the timeline of the open alert's incident (an alert without one, or a closed one, keeps none). */
  async function addNote(call: Call, alias: string, body: JsonObject): Promise<VendorRequestOutcome> {
    const integration = call.integration as IntegrationAuth;
    const alert = await deps.vendorRequests.openAlertByAlias(integration.id, alias);
    if (!alert?.incidentId) return outcome(call, 'note', { success: false, alertId: alert?.alertId ?? null, alias });
    const user = typeof body.user === 'string' && body.user.trim() ? ` (${body.user.trim()})` : '';
    await deps.incidents.addNote({ type: ActorType.INTEGRATION, id: integration.id, name: `${integration.name}${user}` }, alert.incidentId, (body.note as string).trim());
    return outcome(call, 'note', { success: true, alertId: alert.alertId, alias });
  }

  /** Opsgenie's 202, once the request's outcome is stored. */
  async function accepted(reply: FastifyReply, call: Call, recorded: Promise<VendorRequestOutcome>) {
    await recorded;
    return answer(reply, call, 202, { result: 'Request will be processed' });
  }

  /** 429 with Retry-After, counted, neither kept nor logged above debug (as the webhook route's refusals). */
  function refuse(request: FastifyRequest, reply: FastifyReply, call: Call, reason: string, retryAfterSeconds: number) {
    deps.metrics.refused(call.integration?.vendor ?? 'unknown', reason);
    deps.deliveryLog.note(request, { reason });
    return answer(reply.header('retry-after', String(retryAfterSeconds)), call, 429, { message: 'You are making too many requests! To avoid errors, we recommend you limit requests.' });
  }
}
