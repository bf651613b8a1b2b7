import type { EntityManager } from 'typeorm';
import { CauseKind, ReviewSection, type DetectionSource, type ReviewOrigin } from '../../schema/enums';
import type { Incident } from '../../schema/incident.entity';
import type { IncidentReview } from '../../schema/incident-review.entity';
import type { Actor } from '../../shared/actor';
import { badInput } from '../../shared/domain-error';
import { isValidDate, optionalText, requireText, requireUuid, textList } from '../validation';

const TEXT_MAX = 20000;
const MAX_CAUSES = 50;
const MAX_ENTRIES = 50;
const BEFORE_OPENING_MS = 30 * 24 * 3600_000;

export interface UpdateReviewSectionInput {
  incidentId: string;
  revision?: number | null;
  summary?: string | null;
  detection?: { source?: DetectionSource | null; impactStartedAt?: Date | null; notes?: string | null } | null;
  mitigation?: { notes?: string | null; fasterMitigation?: string | null } | null;
  causes?: Array<{ id?: string | null; kind: CauseKind; categoryId: string; description: string }> | null;
  impact?: { customers?: string | null; products?: string[] | null; channels?: string[] | null; locations?: string[] | null; description?: string | null } | null;
  preventiveActions?: { notes?: string | null } | null;
  lessons?: string | null;
  timeline?: {
    pin?: string[] | null;
    unpin?: string[] | null;
    hide?: string[] | null;
    unhide?: string[] | null;
    addEntries?: Array<{ at: Date; message: string; pinned?: boolean | null }> | null;
    removeEntryIds?: string[] | null;
  } | null;
  participantReview?: string | null;
  origin?: ReviewOrigin | null;
}

const SECTION_OF = {
  summary: ReviewSection.SUMMARY,
  detection: ReviewSection.DETECTION,
  mitigation: ReviewSection.MITIGATION,
  causes: ReviewSection.CAUSES,
  impact: ReviewSection.IMPACT,
  preventiveActions: ReviewSection.PREVENTIVE_ACTIONS,
  lessons: ReviewSection.LESSONS,
  timeline: ReviewSection.TIMELINE,
  participantReview: ReviewSection.PARTICIPANT,
  origin: null,
} as const;

type SectionField = keyof typeof SECTION_OF;

/** The one section an edit names; BAD_USER_INPUT naming the fields when it names none or several. */
export function sectionField(input: UpdateReviewSectionInput): SectionField {
  const given = (Object.keys(SECTION_OF) as SectionField[]).filter((field) => input[field] !== undefined);
  if (given.length !== 1) {
    throw badInput(given.length ? given.join(', ') : 'input', `exactly one section per edit: ${given.length ? `got ${given.join(', ')}` : `give one of ${Object.keys(SECTION_OF).join(', ')}`}`);
  }
  return given[0]!;
}

export type Changes = Record<string, { from: unknown; to: unknown }>;

interface EditContext {
  manager: EntityManager;
  actor: Actor;
  review: IncidentReview;
  incident: Incident;
  now: Date;
}

/** Applies the named section's edit to `review` (columns) or its tables, returning what changed. */
export async function applySectionEdit(context: EditContext, input: UpdateReviewSectionInput, field: SectionField): Promise<Changes> {
  const changes: Changes = {};
  const set = <K extends keyof IncidentReview>(key: K, value: IncidentReview[K]) => {
    if (JSON.stringify(context.review[key]) === JSON.stringify(value)) return;
    changes[key] = { from: context.review[key], to: value };
    context.review[key] = value;
  };
  switch (field) {
    case 'summary':
      set('summary', optionalText('summary', input.summary, TEXT_MAX));
      break;
    case 'lessons':
      set('lessons', optionalText('lessons', input.lessons, TEXT_MAX));
      break;
    case 'origin':
      if (!input.origin) throw badInput('origin', 'must be INTERNAL or EXTERNAL');
      set('origin', input.origin);
      break;
    case 'detection': {
      const detection = input.detection ?? {};
      if (detection.source !== undefined) set('detectionSource', detection.source ?? null);
      if (detection.impactStartedAt !== undefined) set('impactStartedAt', detection.impactStartedAt === null ? null : validTime('detection.impactStartedAt', detection.impactStartedAt, context));
      if (detection.notes !== undefined) set('detectionNotes', optionalText('detection.notes', detection.notes, TEXT_MAX));
      break;
    }
    case 'mitigation': {
      const mitigation = input.mitigation ?? {};
      if (mitigation.notes !== undefined) set('mitigationNotes', optionalText('mitigation.notes', mitigation.notes, TEXT_MAX));
      if (mitigation.fasterMitigation !== undefined) set('fasterMitigation', optionalText('mitigation.fasterMitigation', mitigation.fasterMitigation, TEXT_MAX));
      break;
    }
    case 'impact': {
      const impact = input.impact ?? {};
      if (impact.customers !== undefined) set('impactCustomers', optionalText('impact.customers', impact.customers, TEXT_MAX));
      if (impact.products !== undefined) set('impactProducts', textList('impact.products', impact.products));
      if (impact.channels !== undefined) set('impactChannels', textList('impact.channels', impact.channels));
      if (impact.locations !== undefined) set('impactLocations', textList('impact.locations', impact.locations));
      if (impact.description !== undefined) set('impactDescription', optionalText('impact.description', impact.description, TEXT_MAX));
      break;
    }
    case 'preventiveActions':
      if (input.preventiveActions?.notes !== undefined) set('preventiveNotes', optionalText('preventiveActions.notes', input.preventiveActions.notes, TEXT_MAX));
      break;
    case 'causes':
      Object.assign(changes, await replaceCauses(context, input.causes ?? []));
      break;
    case 'timeline':
      Object.assign(changes, await editTimeline(context, input.timeline ?? {}));
      break;
    case 'participantReview':
      Object.assign(changes, await editParticipantSection(context, input.participantReview ?? ''));
      break;
  }
  return changes;
}

export const sectionOf = (field: SectionField): ReviewSection | null => SECTION_OF[field];

function validTime(field: string, at: Date, { incident, now }: EditContext): Date {
  if (!isValidDate(at)) throw badInput(field, 'is not a valid time');
  if (at > now) throw badInput(field, 'may not be in the future');
  if (at.getTime() < incident.openedAt.getTime() - BEFORE_OPENING_MS) throw badInput(field, 'may not be more than 30 days before the incident opened');
  return at;
}

async function replaceCauses({ manager, review, now }: EditContext, causes: NonNullable<UpdateReviewSectionInput['causes']>): Promise<Changes> {
  if (causes.length > MAX_CAUSES) throw badInput('causes', `at most ${MAX_CAUSES} causes`);
  const existing: Array<{ id: string; kind: CauseKind; categoryId: string; description: string }> = await manager.query(
    `SELECT id, kind, category_id AS "categoryId", description FROM review_cause WHERE review_id = $1 ORDER BY position, id`,
    [review.id],
  );
  const existingIds = new Set(existing.map((cause) => cause.id));
  const categoryIds = [...new Set(causes.map((cause, index) => requireUuid(`causes[${index}].categoryId`, cause.categoryId)))];
  const categories: Array<{ id: string; archived: boolean }> = categoryIds.length ? await manager.query(`SELECT id, archived FROM cause_category WHERE id = ANY($1)`, [categoryIds]) : [];
  const archived = new Map(categories.map((category) => [category.id, category.archived]));
  const wanted = causes.map((cause, index) => {
    const at = `causes[${index}]`;
    if (cause.id && !existingIds.has(cause.id)) throw badInput(`${at}.id`, `cause ${cause.id} is not one of this review's causes`);
    if (!archived.has(cause.categoryId)) throw badInput(`${at}.categoryId`, `cause category ${cause.categoryId} does not exist`);
    const kept = existing.find((old) => old.id === cause.id);
    if (archived.get(cause.categoryId) && kept?.categoryId !== cause.categoryId) throw badInput(`${at}.categoryId`, 'that category is archived');
    if (cause.kind !== CauseKind.ROOT && cause.kind !== CauseKind.CONTRIBUTING) throw badInput(`${at}.kind`, 'must be ROOT or CONTRIBUTING');
    return { id: cause.id ?? null, kind: cause.kind, categoryId: cause.categoryId, description: requireText(`${at}.description`, cause.description, 5000) };
  });
  const keptIds = wanted.map((cause) => cause.id).filter((id): id is string => id !== null);
  if (new Set(keptIds).size !== keptIds.length) throw badInput('causes', 'a cause id is given twice');
  const before = existing.map(({ kind, categoryId, description }) => ({ kind, categoryId, description }));
  const after = wanted.map(({ kind, categoryId, description }) => ({ kind, categoryId, description }));
  if (JSON.stringify(before) === JSON.stringify(after) && keptIds.length === existing.length) return {};
  await manager.query(`DELETE FROM review_cause WHERE review_id = $1 AND NOT (id = ANY($2::uuid[]))`, [review.id, keptIds]);
  for (const [position, cause] of wanted.entries()) {
    if (cause.id) {
      await manager.query(`UPDATE review_cause SET kind = $2, category_id = $3, description = $4, position = $5, updated_at = $6 WHERE id = $1`, [cause.id, cause.kind, cause.categoryId, cause.description, position, now]);
    } else {
      await manager.query(
        `INSERT INTO review_cause (review_id, kind, category_id, description, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [review.id, cause.kind, cause.categoryId, cause.description, position, now],
      );
    }
  }
  return { causes: { from: before, to: after } };
}

async function editTimeline(context: EditContext, timeline: NonNullable<UpdateReviewSectionInput['timeline']>): Promise<Changes> {
  const { manager, review, incident, actor, now } = context;
  const changes: Changes = {};
  const marks: Array<[string, string[] | null | undefined, { pinned?: boolean; hidden?: boolean }]> = [
    ['pin', timeline.pin, { pinned: true, hidden: false }],
    ['unpin', timeline.unpin, { pinned: false }],
    ['hide', timeline.hide, { hidden: true, pinned: false }],
    ['unhide', timeline.unhide, { hidden: false }],
  ];
  for (const [name, ids, mark] of marks) {
    if (!ids?.length) continue;
    const field = `timeline.${name}`;
    const unique = [...new Set(ids.map((id) => requireUuid(field, id)))];
    const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM timeline_event WHERE incident_id = $1 AND id = ANY($2)`, [incident.id, unique]);
    if (count !== unique.length) throw badInput(field, "every id must be an event of this incident's timeline");
    await manager.query(
      `INSERT INTO review_timeline_mark (review_id, timeline_event_id, pinned, hidden)
       SELECT $1, event_id, coalesce($3, false), coalesce($4, false) FROM unnest($2::uuid[]) AS event_id
       ON CONFLICT (review_id, timeline_event_id) DO UPDATE SET pinned = coalesce($3, review_timeline_mark.pinned), hidden = coalesce($4, review_timeline_mark.hidden)`,
      [review.id, unique, mark.pinned ?? null, mark.hidden ?? null],
    );
    changes[name] = { from: null, to: unique };
  }
  if (timeline.addEntries?.length) {
    if (timeline.addEntries.length > MAX_ENTRIES) throw badInput('timeline.addEntries', `at most ${MAX_ENTRIES} entries per edit`);
    const entries = timeline.addEntries.map((entry, index) => ({
      at: validTime(`timeline.addEntries[${index}].at`, entry.at, context),
      message: requireText(`timeline.addEntries[${index}].message`, entry.message, 5000),
      pinned: entry.pinned ?? false,
    }));
    for (const entry of entries) {
      await manager.query(`INSERT INTO review_timeline_entry (review_id, at, message, pinned, author_name, added_at) VALUES ($1, $2, $3, $4, $5, $6)`, [review.id, entry.at, entry.message, entry.pinned, actor.name, now]);
    }
    changes.addEntries = { from: null, to: entries };
  }
  if (timeline.removeEntryIds?.length) {
    const unique = [...new Set(timeline.removeEntryIds.map((id) => requireUuid('timeline.removeEntryIds', id)))];
    const removed: Array<{ at: Date; message: string }> = await manager.query(`DELETE FROM review_timeline_entry WHERE review_id = $1 AND id = ANY($2) RETURNING at, message`, [review.id, unique]);
    if (removed.length !== unique.length) throw badInput('timeline.removeEntryIds', "every id must be an entry added to this review's timeline");
    changes.removeEntries = { from: removed, to: null };
  }
  return changes;
}

/** One section per author: the token's person when it has one (so the same person's tokens share it), else the token. */
export function authorKey(actor: Actor): string {
  return actor.personId ? `person:${actor.personId}` : `${actor.type}:${actor.id ?? actor.name}`;
}

async function editParticipantSection({ manager, review, actor, now }: EditContext, text: string): Promise<Changes> {
  const key = authorKey(actor);
  const [existing] = await manager.query(`SELECT body FROM review_participant_section WHERE review_id = $1 AND author_key = $2`, [review.id, key]);
  const body = optionalText('participantReview', text, TEXT_MAX);
  if ((existing?.body ?? null) === body) return {};
  if (body === null) {
    await manager.query(`DELETE FROM review_participant_section WHERE review_id = $1 AND author_key = $2`, [review.id, key]);
  } else {
    await manager.query(
      `INSERT INTO review_participant_section (review_id, author_key, author_name, person_id, body, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (review_id, author_key) DO UPDATE SET body = EXCLUDED.body, author_name = EXCLUDED.author_name, updated_at = EXCLUDED.updated_at`,
      [review.id, key, actor.name, actor.personId ?? null, body, now],
    );
  }
  return { participantReview: { from: existing?.body ?? null, to: body } };
}
