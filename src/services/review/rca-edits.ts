import type { RcaSectionContent } from '../../schema/rca.entity';
import { badInput } from '../../shared/domain-error';
import { SectionVisibility } from '../../shared/enums';
import { requireText } from '../validation';

export interface RcaSectionInput {
  key: string;
  title?: string | null;
  body?: string | null;
  visibility?: SectionVisibility | null;
}

export interface UpdateRcaFields {
  revision?: number | null;
  title?: string | null;
  sections?: RcaSectionInput[] | null;
  removeSectionKeys?: string[] | null;
}

const KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_SECTIONS = 50;
const BODY_MAX = 100_000;

/**
 * The sections after an edit, validated with the field at fault named: given keys are upserted (a new one is
 * appended, and is INTERNAL unless it says otherwise, so nothing becomes public by omission), removed keys dropped.
 * Returns what changed per key as {from, to}, empty when the edit changes nothing.
 */
export function applyRcaEdit(
  current: { title: string; sections: RcaSectionContent[] },
  input: UpdateRcaFields,
): { title: string; sections: RcaSectionContent[]; changes: Record<string, { from: unknown; to: unknown }> } {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const title = input.title === undefined || input.title === null ? current.title : requireText('title', input.title, 500);
  if (title !== current.title) changes.title = { from: current.title, to: title };
  const sections = current.sections.map((section) => ({ ...section }));
  const removed = new Set<string>();
  for (const [index, key] of (input.removeSectionKeys ?? []).entries()) {
    if (!sections.some((section) => section.key === key)) throw badInput(`removeSectionKeys[${index}]`, `no section has the key ${JSON.stringify(key).slice(0, 120)}`);
    removed.add(key);
  }
  const seen = new Set<string>();
  for (const [index, given] of (input.sections ?? []).entries()) {
    const field = `sections[${index}]`;
    if (typeof given.key !== 'string' || given.key.length > 100 || !KEY.test(given.key)) throw badInput(`${field}.key`, 'must be kebab-case (a-z, 0-9 and single hyphens), at most 100 characters');
    if (seen.has(given.key)) throw badInput(`${field}.key`, `${given.key} is given twice`);
    if (removed.has(given.key)) throw badInput(`${field}.key`, `${given.key} is also in removeSectionKeys`);
    seen.add(given.key);
    if (given.body !== undefined && given.body !== null && given.body.length > BODY_MAX) throw badInput(`${field}.body`, `must be at most ${BODY_MAX} characters`);
    const existing = sections.find((section) => section.key === given.key);
    const before = existing ? { ...existing } : null;
    const next: RcaSectionContent = {
      key: given.key,
      title: given.title === undefined || given.title === null ? (existing?.title ?? missingTitle(`${field}.title`)) : requireText(`${field}.title`, given.title, 200),
      body: given.body ?? existing?.body ?? '',
      visibility: given.visibility ?? existing?.visibility ?? SectionVisibility.INTERNAL,
    };
    if (existing) Object.assign(existing, next);
    else sections.push(next);
    const { key: _key, ...after } = next;
    const { key: _before, ...was } = before ?? { key: '' };
    if (JSON.stringify(before ? was : null) !== JSON.stringify(after)) changes[`sections.${given.key}`] = { from: before ? was : null, to: after };
  }
  for (const key of removed) changes[`sections.${key}`] = { from: sections.find((section) => section.key === key), to: null };
  const kept = sections.filter((section) => !removed.has(section.key));
  if (kept.length > MAX_SECTIONS) throw badInput('sections', `an RCA has at most ${MAX_SECTIONS} sections`);
  return { title, sections: kept, changes };
}

function missingTitle(field: string): never {
  throw badInput(field, 'a new section needs a title');
}
