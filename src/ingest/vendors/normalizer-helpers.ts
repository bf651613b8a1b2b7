/**
 * Shared building blocks for the vendor normalizers: safe field readers that throw
 * PayloadSchemaError with a JSON path, stable hashing, truncation and date parsing.
 * Everything here is pure; nothing mutates its input.
 */
import { createHash } from 'node:crypto';
import { DESCRIPTION_MAX_LENGTH, PayloadSchemaError, SUMMARY_MAX_LENGTH, type AlertKind, type NormalizedAlert } from '../normalized-alert';
import type { AlertSeverity, AlertStatus } from '../../shared/enums';

export type JsonObject = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `alerts[2]` / `data.essentials` / `tags["ans:status"]`: how a child path is written. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  if (parent === '' || parent === '$') return segment.startsWith('[') ? `$${segment}` : segment;
  return segment.startsWith('[') ? `${parent}${segment}` : `${parent}.${segment}`;
}

export function asRecord(value: unknown, path: string): JsonObject {
  if (!isRecord(value)) throw new PayloadSchemaError(path, value === undefined ? 'is required' : 'must be an object');
  return value;
}

/** A required, non-blank string (trimmed). */
export function readString(obj: JsonObject, key: string, parent = ''): string {
  const path = childPath(parent, key);
  const value = obj[key];
  if (value === undefined || value === null) throw new PayloadSchemaError(path, 'is required');
  if (typeof value !== 'string') throw new PayloadSchemaError(path, 'must be a string');
  const trimmed = value.trim();
  if (trimmed === '') throw new PayloadSchemaError(path, 'must not be empty');
  return trimmed;
}

/** An optional string: absent, null or blank → null; any other non-string is a schema error. */
export function optString(obj: JsonObject, key: string, parent = ''): string | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new PayloadSchemaError(childPath(parent, key), 'must be a string');
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function optRecord(obj: JsonObject, key: string, parent = ''): JsonObject | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  return asRecord(value, childPath(parent, key));
}

export function readArray(obj: JsonObject, key: string, parent = ''): unknown[] {
  const value = obj[key];
  const path = childPath(parent, key);
  if (value === undefined || value === null) throw new PayloadSchemaError(path, 'is required');
  if (!Array.isArray(value)) throw new PayloadSchemaError(path, 'must be an array');
  return value;
}

export function optArray(obj: JsonObject, key: string, parent = ''): unknown[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PayloadSchemaError(childPath(parent, key), 'must be an array');
  return value;
}

/** Strings in an optional array (non-strings are a schema error). */
export function optStringArray(obj: JsonObject, key: string, parent = ''): string[] {
  const path = childPath(parent, key);
  return optArray(obj, key, parent).map((item, i) => {
    if (typeof item !== 'string') throw new PayloadSchemaError(childPath(path, i), 'must be a string');
    return item;
  });
}

/**
 * A string→string map (labels, annotations, tags). Numbers and booleans are stringified,
 * null values dropped; nested objects or arrays are a schema error.
 */
export function toStringMap(value: unknown, path: string, { required = false } = {}): Record<string, string> {
  if (value === undefined || value === null) {
    if (required) throw new PayloadSchemaError(path, 'is required');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(asRecord(value, path))) {
    if (item === null || item === undefined) continue;
    if (typeof item === 'string') out[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') out[key] = String(item);
    else throw new PayloadSchemaError(childPath(path, key), 'must be a string');
  }
  return out;
}

/** Reads a dotted path (`resource.resourceName`); a segment may hold a colon (`tags.ans:status`). */
export function readDottedPath(root: unknown, dotted: string): unknown {
  let current: unknown = root;
  for (const segment of dotted.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** sha256 hex over an unambiguous encoding of the parts. */
export const stableHash = (...parts: ReadonlyArray<string | null>): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/** sha256 hex of the labels sorted by name: the same label set always gives the same hash. */
export function hashOfSortedLabels(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((key) => [key, labels[key]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

/** Cuts to at most `max` UTF-16 units, ending with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

const GO_ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An RFC 3339 / ISO 8601 date-time, or null when absent, blank or Go's zero time
 * ("0001-01-01T00:00:00Z", Alertmanager's "not set"). A time without an offset is read as UTC.
 */
export function parseIsoDate(value: unknown, path: string): Date | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new PayloadSchemaError(path, 'must be an RFC 3339 date-time string');
  const text = value.trim();
  if (GO_ZERO_TIME.test(text)) return null;
  if (!ISO_DATE_TIME.test(text)) throw new PayloadSchemaError(path, `"${text}" is not an RFC 3339 date-time`);
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const date = new Date(hasOffset ? text : `${text}Z`);
  if (Number.isNaN(date.getTime())) throw new PayloadSchemaError(path, `"${text}" is not a valid date-time`);
  if (!isStorableDate(date)) {
    // Go's zero time written with a positive offset lands in year 0 (UTC): still "not set".
    if (text.startsWith('0001-01-01T')) return null;
    throw new PayloadSchemaError(path, `"${text}" is outside the years 0001–9999`);
  }
  return date;
}

/** Years 0001–9999 in UTC: what every vendor means, and what serializes as ISO-8601 that PostgreSQL reads. */
export function isStorableDate(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** Epoch seconds (number or numeric string) → Date; null when absent. */
export function parseEpochSeconds(value: unknown, path: string): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const seconds = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new PayloadSchemaError(path, 'must be epoch seconds');
  }
  const date = new Date(Math.round(seconds * 1000));
  if (Number.isNaN(date.getTime()) || !isStorableDate(date)) {
    throw new PayloadSchemaError(path, `${String(value)} is not epoch seconds within the years 0001–9999 (milliseconds?)`);
  }
  return date;
}

/** Looks a vendor status up in a const map; an unknown status is rejected, never defaulted. */
export function lookupStatus<T extends string>(map: Readonly<Record<string, T>>, value: string, path: string): T {
  if (Object.prototype.hasOwnProperty.call(map, value)) return map[value];
  throw new PayloadSchemaError(path, `unknown status "${value}"; expected one of ${Object.keys(map).join(', ')}`);
}

/** Severity lookup; an unknown or absent value falls back (the raw text is kept as vendorSeverity). */
export function lookupSeverity(
  map: Readonly<Record<string, AlertSeverity>>,
  value: string | null,
  fallback: AlertSeverity = 'WARNING',
): AlertSeverity {
  if (value === null) return fallback;
  return Object.prototype.hasOwnProperty.call(map, value) ? map[value] : fallback;
}

/** Drops null/undefined entries (for details objects). */
export function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined));
}

/** A deep copy of JSON-shaped data, so details never alias the caller's body. */
export const cloneJson = <T>(value: T): T => structuredClone(value);

export interface AlertDraft {
  fingerprint: string;
  groupKey: string;
  status: AlertStatus;
  /** The event acknowledges the alert (see NormalizedAlert.acknowledged). */
  acknowledged?: boolean;
  severity: AlertSeverity;
  vendorSeverity?: string | null;
  kind?: AlertKind;
  summary: string;
  description?: string | null;
  source?: string | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  url?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  details?: Record<string, unknown>;
}

/** Fills defaults and enforces the one-line summary and the length limits. */
export function buildAlert(draft: AlertDraft): NormalizedAlert {
  const description = draft.description?.trim() ? truncate(draft.description.trim(), DESCRIPTION_MAX_LENGTH) : null;
  return {
    fingerprint: draft.fingerprint,
    groupKey: draft.groupKey,
    status: draft.status,
    ...(draft.acknowledged ? { acknowledged: true } : {}),
    severity: draft.severity,
    vendorSeverity: draft.vendorSeverity ?? null,
    kind: draft.kind ?? 'ALERT',
    summary: truncate(oneLine(draft.summary), SUMMARY_MAX_LENGTH),
    description,
    source: draft.source ?? null,
    labels: draft.labels ?? {},
    annotations: draft.annotations ?? {},
    url: draft.url ?? null,
    startsAt: draft.startsAt ?? null,
    endsAt: draft.endsAt ?? null,
    details: draft.details ?? {},
  };
}
