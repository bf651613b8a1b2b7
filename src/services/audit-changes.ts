import { REDACTED } from '../shared/redact-url';

/** The changed fields of one configuration change: before is null on creation, after null on deletion. */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface DiffOptions {
  /** Fields compared but never shown: a change reads "[redacted]" (or null where there is none). */
  secret?: readonly string[];
}

type Values = object | null | undefined;

/**
 * The fields among `fields` whose values differ between `before` and `after` (null or undefined: the row did not
 * exist), with both values as JSON would show them. Pure: equal values, in any key order, are no change.
 */
export function diffFields(before: Values, after: Values, fields: readonly string[], options: DiffOptions = {}): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const was = jsonValue(valueOf(before, field));
    const is = jsonValue(valueOf(after, field));
    if (canonical(was) === canonical(is)) continue;
    changes[field] = options.secret?.includes(field) ? { before: was === null ? null : REDACTED, after: is === null ? null : REDACTED } : { before: was, after: is };
  }
  return changes;
}

function valueOf(values: Values, field: string): unknown {
  return values ? (values as Record<string, unknown>)[field] : undefined;
}

/** The value as it is stored in JSON: dates as ISO-8601, undefined as null. */
function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value) ?? 'null');
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner,
  );
}
