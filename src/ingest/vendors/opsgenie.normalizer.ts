/**
 * OPSGENIE: Opsgenie's Alert API (https://docs.opsgenie.com/docs/alert-api), as Alertmanager's opsgenie_configs, Grafana
 * and Zabbix call it. The API is REST (create at POST /v2/alerts, close/acknowledge/notes at /v2/alerts/{identifier}/…),
 * so its route hands this normalizer one document per call: `{ action, alias, request }`, where `request` is the body
 * as sent and `alias` the alert's identifier (the route has already turned an `identifierType=id` into its alias).
 * That document is also what a dead letter keeps, so a replay does what the call would have done.
 *
 * - Identity: `alias` (Opsgenie's de-duplication key); a create without one gets sha256(message, entity, source), so the
 *   same alert repeated stays one (Opsgenie would open another).
 * - Priority P1–P5 → severity, which the default severity map turns into our P1–P4: P1 CRITICAL, P2 HIGH, P3 WARNING
 *   (Opsgenie's default), P4 and P5 INFO (P4). The priority text is kept as vendorSeverity (vendorSeverityMap can map it).
 * - `details` (a string map: Alertmanager's common labels) become labels; tags, responders, visibleTo, actions, entity,
 *   note and user are kept in details. `acknowledge` acknowledges the alert's incident; `close` resolves the alert.
 * - Notes are no alert: the route adds them to the incident's timeline, so `note` normalizes to nothing.
 */
import { PayloadSchemaError, type NormalizedAlert, type Normalizer } from '../normalized-alert';
import type { AlertSeverity } from '../../shared/enums';
import { asRecord, buildAlert, cloneJson, isRecord, optArray, optString, optStringArray, stableHash, toStringMap, withoutNulls, type JsonObject } from './normalizer-helpers';

export type OpsgenieAction = 'create' | 'close' | 'acknowledge' | 'note';

/** What the Opsgenie route passes on for one API call. */
export interface OpsgenieCall {
  action: OpsgenieAction;
  alias: string | null;
  request: JsonObject;
}

const PRIORITY_SEVERITY = { P1: 'CRITICAL', P2: 'HIGH', P3: 'WARNING', P4: 'INFO', P5: 'INFO' } as const satisfies Record<string, AlertSeverity>;
const DEFAULT_PRIORITY = 'P3';
/** Opsgenie's own limits (characters). */
const LIMITS = { message: 130, alias: 512, description: 15000, entity: 512, source: 100, note: 25000, user: 100 } as const;
const RESPONDER_TYPES = ['team', 'user', 'escalation', 'schedule'];
const ACTIONS: readonly OpsgenieAction[] = ['create', 'close', 'acknowledge', 'note'];

/** The alias a create's alert has: the one sent, else the (message, entity, source) hash. */
export function opsgenieAlias(request: JsonObject): string {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  return text(request.alias) ?? stableHash(text(request.message), text(request.entity), text(request.source));
}

/**
 * Every invalid field of a call's body, by field name, in Opsgenie's wording (its 422 lists them under `errors`);
 * empty when Opsgenie would take it.
 */
export function opsgenieErrors(action: OpsgenieAction, request: unknown): Record<string, string> {
  if (!isRecord(request)) return { body: 'Request body must be a JSON object.' };
  const errors: Record<string, string> = {};
  const tooLong = (field: keyof typeof LIMITS) => {
    const value = request[field];
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') errors[field] = `${capitalized(field)} must be a string.`;
    else if (value.length > LIMITS[field]) errors[field] = `${capitalized(field)} can not be longer than ${LIMITS[field]} characters.`;
  };
  for (const field of ['user', 'source', 'note'] as const) tooLong(field);
  if (action === 'note' && (typeof request.note !== 'string' || request.note.trim() === '')) errors.note = 'Note can not be empty.';
  if (action !== 'create') return errors;
  if (typeof request.message !== 'string' || request.message.trim() === '') errors.message = 'Message can not be empty.';
  for (const field of ['message', 'alias', 'description', 'entity'] as const) if (!errors[field]) tooLong(field);
  const priority = request.priority;
  if (priority !== undefined && priority !== null && !(typeof priority === 'string' && priority in PRIORITY_SEVERITY)) {
    errors.priority = 'Priority should be one of these: P1, P2, P3, P4, P5.';
  }
  stringList(request, 'tags', errors);
  stringList(request, 'actions', errors);
  const details = request.details;
  if (details !== undefined && details !== null && (!isRecord(details) || Object.values(details).some((value) => typeof value === 'object' && value !== null))) {
    errors.details = 'Details must be a map of strings.';
  }
  for (const field of ['responders', 'visibleTo'] as const) {
    const list = request[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      errors[field] = `${capitalized(field)} must be a list.`;
      continue;
    }
    list.forEach((item, index) => {
      const path = `${field}[${index}]`;
      if (!isRecord(item)) errors[path] = 'Responder must be an object.';
      else if (!RESPONDER_TYPES.includes(item.type as string)) errors[`${path}.type`] = `Type should be one of these: ${RESPONDER_TYPES.join(', ')}.`;
      else if (![item.id, item.name, item.username].some((value) => typeof value === 'string' && value.trim() !== '')) errors[path] = 'id, name or username should be provided';
    });
  }
  return errors;
}

function stringList(request: JsonObject, field: 'tags' | 'actions', errors: Record<string, string>): void {
  const list = request[field];
  if (list === undefined || list === null) return;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) errors[field] = `${capitalized(field)} must be a list of strings.`;
}

const capitalized = (field: string) => `${field[0].toUpperCase()}${field.slice(1)}`;

function normalizeCall(rawBody: unknown): NormalizedAlert[] {
  const call = asRecord(rawBody, '$');
  const action = call.action;
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
    throw new PayloadSchemaError('action', `must be one of ${ACTIONS.join(', ')}`);
  }
  const request = asRecord(call.request, 'request');
  const problems = opsgenieErrors(action as OpsgenieAction, request);
  const [field] = Object.keys(problems);
  if (field !== undefined) throw new PayloadSchemaError(`request.${field}`, problems[field]);
  if (action === 'note') return [];
  const kept = withoutNulls({ user: optString(request, 'user', 'request'), note: optString(request, 'note', 'request'), requestSource: optString(request, 'source', 'request') });
  if (action === 'create') return [createdAlert(request, kept)];
  const alias = optString(call, 'alias');
  if (alias === null) throw new PayloadSchemaError('alias', 'is required to close or acknowledge an alert');
  return [
    buildAlert({
      fingerprint: alias,
      groupKey: alias,
      status: action === 'close' ? 'RESOLVED' : 'FIRING',
      acknowledged: action === 'acknowledge',
      severity: 'WARNING',
      summary: `${action} ${alias}`,
      details: { opsgenieAction: action, ...kept },
    }),
  ];
}

function createdAlert(request: JsonObject, kept: Record<string, unknown>): NormalizedAlert {
  const alias = opsgenieAlias(request);
  const priority = optString(request, 'priority', 'request') ?? DEFAULT_PRIORITY;
  const entity = optString(request, 'entity', 'request');
  const list = (field: string) => {
    const items = optArray(request, field, 'request');
    return items.length ? cloneJson(items) : null;
  };
  return buildAlert({
    fingerprint: alias,
    groupKey: alias,
    status: 'FIRING',
    severity: PRIORITY_SEVERITY[priority as keyof typeof PRIORITY_SEVERITY],
    vendorSeverity: priority,
    summary: optString(request, 'message', 'request') as string,
    description: optString(request, 'description', 'request'),
    source: optString(request, 'source', 'request') ?? entity,
    labels: toStringMap(request.details, 'request.details'),
    details: withoutNulls({
      opsgenieAction: 'create',
      alias,
      entity,
      tags: optStringArray(request, 'tags', 'request').length ? optStringArray(request, 'tags', 'request') : null,
      responders: list('responders'),
      visibleTo: list('visibleTo'),
      actions: list('actions'),
      ...kept,
    }),
  });
}

export const opsgenieNormalizer: Normalizer = {
  vendor: 'OPSGENIE',
  accepts: ['json'],
  normalize: (request) => normalizeCall(request.body),
};
