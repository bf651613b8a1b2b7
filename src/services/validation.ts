import { badInput } from '../shared/domain-error';

/** Small checks shared by services: each throws BAD_USER_INPUT naming the field. */
export function requireText(field: string, value: string | null | undefined, max: number): string {
  const trimmed = (value ?? '').trim();
  if (!trimmed) throw badInput(field, 'must not be empty');
  if (trimmed.length > max) throw badInput(field, `must be at most ${max} characters`);
  return trimmed;
}

export function optionalText(field: string, value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > max) throw badInput(field, `must be at most ${max} characters`);
  return trimmed || null;
}

export function textList(field: string, values: string[] | null | undefined, maxItems = 50, maxLength = 200): string[] {
  const list = (values ?? []).map((value) => value.trim()).filter(Boolean);
  if (list.length > maxItems) throw badInput(field, `must have at most ${maxItems} entries`);
  if (list.some((value) => value.length > maxLength)) throw badInput(field, `entries must be at most ${maxLength} characters`);
  return [...new Set(list)];
}

/** The ILIKE pattern for "contains this text" (query it with ESCAPE '\'); % and _ in the text are taken literally. */
export function containsPattern(field: string, text: string, max = 200): string {
  if (text.length > max) throw badInput(field, `must be at most ${max} characters`);
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireUuid(field: string, value: string): string {
  if (!UUID.test(value)) throw badInput(field, 'must be a UUID');
  return value.toLowerCase();
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
