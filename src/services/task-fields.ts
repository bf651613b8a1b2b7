import { TaskStatus } from '../schema/enums';
import { badInput } from '../shared/domain-error';
import { isValidDate, optionalText, requireText, requireUuid } from './validation';

export const TITLE_MAX = 500;
export const DESCRIPTION_MAX = 20_000;
export const URL_MAX = 2000;
export const REASON_MAX = 2000;

export const OPEN_STATUSES: readonly TaskStatus[] = [TaskStatus.OPEN, TaskStatus.IN_PROGRESS];

export const isOpen = (status: TaskStatus): boolean => OPEN_STATUSES.includes(status);

/** `prefix` places the field in the caller's input, e.g. `longTermFix.` when a mitigation step creates the task. */
export function taskTitle(prefix: string, value: string | null | undefined): string {
  return requireText(`${prefix}title`, value, TITLE_MAX);
}

export function taskDescription(prefix: string, value: string | null | undefined): string | null {
  return optionalText(`${prefix}description`, value, DESCRIPTION_MAX);
}

/** A ticket link is shown to responders as a link: only http(s), so no javascript: or data: URL gets there. */
export function externalUrl(prefix: string, value: string | null | undefined): string | null {
  const field = `${prefix}externalUrl`;
  const text = optionalText(field, value, URL_MAX);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput(field, 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(field, 'must be an http or https URL');
  return text;
}

export function dueDate(prefix: string, value: Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (!isValidDate(value)) throw badInput(`${prefix}dueAt`, 'must be a date');
  return value;
}

export function optionalUuid(field: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : requireUuid(field, value);
}
