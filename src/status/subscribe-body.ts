import type { SubscribeRequest } from '../services/status/subscriber-input';
import { badInput } from '../shared/domain-error';

/** A form post's fields, every value of each (a repeated `components` field is a list). */
export type FormFields = Record<string, string[]>;

export function formFields(text: string): FormFields {
  const fields: FormFields = Object.create(null) as FormFields;
  for (const [name, value] of new URLSearchParams(text)) (fields[name] ??= []).push(value);
  return fields;
}

/**
 * The request a body asks for, from JSON (`{channel, address, components: [...], secret}`) or the page's form
 * (`components` repeated, or `components[]`); a field of the wrong shape is BAD_USER_INPUT naming it.
 */
export function subscribeRequestOf(body: unknown, isForm: boolean): SubscribeRequest {
  if (isForm) {
    const fields = body as FormFields;
    const first = (name: string) => fields[name]?.[0];
    return {
      channel: required('channel', first('channel')),
      address: required('address', first('address')),
      componentIds: [...(fields.components ?? []), ...(fields['components[]'] ?? [])],
      secret: first('secret') || null,
    };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badInput('body', 'must be a JSON object with channel, address, components and secret');
  const json = body as Record<string, unknown>;
  return {
    channel: required('channel', json.channel),
    address: required('address', json.address),
    componentIds: componentList(json.components),
    secret: optionalText('secret', json.secret),
  };
}

function required(field: string, value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw badInput(field, 'is required (a string)');
  return value;
}

function optionalText(field: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw badInput(field, 'must be a string');
  return value;
}

function componentList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((id) => typeof id !== 'string')) throw badInput('components', 'must be a list of component ids (strings)');
  return value as string[];
}
