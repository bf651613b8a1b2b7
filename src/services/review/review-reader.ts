import type { DataSource, EntityManager } from 'typeorm';
import { CauseCategory } from '../../schema/cause-category.entity';
import { CauseKind, ReviewSection, type ReviewEditAction, type ReviewDocument } from '../../schema/enums';
import type { Incident } from '../../schema/incident.entity';
import { IncidentReview } from '../../schema/incident-review.entity';
import type {
  ReviewCause,
  ReviewComponentDowntime,
  ReviewDetection,
  ReviewEdit,
  ReviewImpact,
  ReviewMitigation,
  ReviewMitigationStep,
  ReviewParticipantSection,
  ReviewPreventiveActions,
  ReviewTimelineItem,
} from '../../schema/review.types';
import { Task } from '../../schema/task.entity';
import { badInput } from '../../shared/domain-error';
import type { Page, PageArgs } from '../../shared/page';
import { componentImpactsOf } from '../component-impacts';
import { decodeCursor, encodeCursor, pageSize } from '../pagination';
import { DOWNTIME_WEIGHT, impactOfPriority } from '../../shared/component-downtime';
import { reviewTimings, type ReviewTimings } from './review-timings';

type Reader = DataSource | EntityManager;

/** The uptime weights of the status pages' history: a partial outage counts 30 % down. */

export async function timingsOf(db: Reader, review: IncidentReview, incident: Incident): Promise<ReviewTimings & { firstAlertAt: Date | null }> {
  const [{ first }] = await db.query(`SELECT min(first_seen_at) AS first FROM alert WHERE incident_id = $1`, [incident.id]);
  const firstAlertAt = first ? new Date(first) : null;
  const timings = reviewTimings({
    impactStartedAt: review.impactStartedAt,
    firstAlertAt,
    openedAt: incident.openedAt,
    acknowledgedAt: incident.acknowledgedAt,
    mitigatedAt: incident.mitigatedAt,
    resolvedAt: incident.resolvedAt,
  });
  return { ...timings, firstAlertAt };
}

/** What approval still needs, in the order of the sections. */
export async function missingSections(db: Reader, review: IncidentReview): Promise<ReviewSection[]> {
  const [{ roots, tasks }] = await db.query(
    `SELECT (SELECT count(*)::int FROM review_cause WHERE review_id = $1 AND kind = $2) AS roots,
            (SELECT count(*)::int FROM task WHERE review_id = $1) AS tasks`,
    [review.id, CauseKind.ROOT],
  );
  const missing: ReviewSection[] = [];
  if (!review.summary) missing.push(ReviewSection.SUMMARY);
  if (!review.detectionSource || !review.impactStartedAt) missing.push(ReviewSection.DETECTION);
  if (!review.mitigationNotes) missing.push(ReviewSection.MITIGATION);
  if (roots === 0) missing.push(ReviewSection.CAUSES);
  if (!review.impactDescription) missing.push(ReviewSection.IMPACT);
  if (tasks === 0 && !review.preventiveNotes) missing.push(ReviewSection.PREVENTIVE_ACTIONS);
  return missing;
}

/** The incident's mitigation steps with their outcome, in the order they were announced. */
export function mitigationStepsOf(db: Reader, incidentId: string): Promise<ReviewMitigationStep[]> {
  return db.query(`SELECT id, description, status AS outcome, temporary FROM mitigation_step WHERE incident_id = $1 ORDER BY announced_at, id`, [incidentId]);
}

/** The review's causes in the authors' order, each with its category. */
export async function causesOf(db: Reader, review: IncidentReview): Promise<ReviewCause[]> {
  const rows: Array<{ id: string; kind: CauseKind; description: string; category_id: string }> = await db.query(
    `SELECT id, kind, description, category_id FROM review_cause WHERE review_id = $1 ORDER BY position, created_at, id`,
    [review.id],
  );
  const categories = rows.length ? await db.getRepository(CauseCategory).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids: rows.map((row) => row.category_id) }).getMany() : [];
  const byId = new Map(categories.map((category) => [category.id, category]));
  return rows.map((row) => ({ id: row.id, kind: row.kind, description: row.description, category: byId.get(row.category_id)! }));
}

/** The incident's events with the review's marks, merged with the entries added afterwards, oldest first. */
export async function timelineOf(db: Reader, review: IncidentReview, includeHidden: boolean): Promise<ReviewTimelineItem[]> {
  const events: Array<Record<string, unknown>> = await db.query(
    `SELECT e.id, e.at, e.kind, e.message, e.actor_name, coalesce(m.pinned, false) AS pinned, coalesce(m.hidden, false) AS hidden
       FROM timeline_event e LEFT JOIN review_timeline_mark m ON m.timeline_event_id = e.id AND m.review_id = $2
      WHERE e.incident_id = $1 ${includeHidden ? '' : 'AND NOT coalesce(m.hidden, false)'}
      ORDER BY e.at, e.seq`,
    [review.incidentId, review.id],
  );
  const entries: Array<Record<string, unknown>> = await db.query(`SELECT id, at, message, pinned, author_name FROM review_timeline_entry WHERE review_id = $1 ORDER BY at, added_at, id`, [review.id]);
  const items: ReviewTimelineItem[] = [
    ...events.map((row) => ({
      at: new Date(row.at as string),
      kind: row.kind as string,
      message: row.message as string,
      actorName: row.actor_name as string,
      pinned: row.pinned as boolean,
      hidden: row.hidden as boolean,
      added: false,
      timelineEventId: row.id as string,
      entryId: null,
    })),
    ...entries.map((row) => ({
      at: new Date(row.at as string),
      kind: 'REVIEW_ENTRY',
      message: row.message as string,
      actorName: row.author_name as string,
      pinned: row.pinned as boolean,
      hidden: false,
      added: true,
      timelineEventId: null,
      entryId: row.id as string,
    })),
  ];
  // A stable merge: events keep their recorded order, an added entry goes after the events of its instant.
  return items.map((item, index) => ({ item, index })).sort((a, b) => a.item.at.getTime() - b.item.at.getTime() || a.index - b.index).map(({ item }) => item);
}

/** The review's preventive actions: its own tasks and the long-term fixes of the incident's mitigation steps. */
export function preventiveTasksOf(db: Reader, review: IncidentReview): Promise<Task[]> {
  return db
    .getRepository(Task)
    .createQueryBuilder('t')
    .where('t.review_id = :reviewId', { reviewId: review.id })
    .orWhere('t.id IN (SELECT long_term_fix_task_id FROM mitigation_step WHERE incident_id = :incidentId)', { incidentId: review.incidentId })
    .orderBy('t.created_at', 'ASC')
    .addOrderBy('t.id', 'ASC')
    .getMany();
}

/** Reads the IRF's sections for the API; the timings and downtime are computed from the incident on every read. */
export class ReviewReader {
  constructor(private readonly db: DataSource) {}

  async detection(review: IncidentReview, incident: Incident): Promise<ReviewDetection> {
    const timings = await timingsOf(this.db, review, incident);
    return {
      source: review.detectionSource,
      impactStartedAt: review.impactStartedAt,
      notes: review.detectionNotes,
      firstAlertAt: timings.firstAlertAt,
      detectedAt: timings.detectedAt,
      timeToDetectSeconds: timings.timeToDetectSeconds,
      timeToAcknowledgeSeconds: timings.timeToAcknowledgeSeconds,
      timeToMitigateSeconds: timings.timeToMitigateSeconds,
      timeToResolveSeconds: timings.timeToResolveSeconds,
    };
  }

  async mitigation(review: IncidentReview): Promise<ReviewMitigation> {
    return { notes: review.mitigationNotes, fasterMitigation: review.fasterMitigation, steps: await mitigationStepsOf(this.db, review.incidentId) };
  }

  causes(review: IncidentReview): Promise<ReviewCause[]> {
    return causesOf(this.db, review);
  }

  async impact(review: IncidentReview, incident: Incident): Promise<ReviewImpact> {
    const timings = await timingsOf(this.db, review, incident);
    const stated = await componentImpactsOf(this.db, incident.id);
    const impacts = stated.length ? stated : [{ serviceId: incident.serviceId, impact: impactOfPriority(incident.priority) }];
    const duration = timings.impactDurationSeconds;
    const components: ReviewComponentDowntime[] = impacts.map(({ serviceId, impact }) => ({
      serviceId,
      impact,
      downtimeSeconds: duration === null ? null : Math.round(duration * DOWNTIME_WEIGHT[impact]),
    }));
    return {
      customers: review.impactCustomers,
      products: review.impactProducts,
      channels: review.impactChannels,
      locations: review.impactLocations,
      description: review.impactDescription,
      durationSeconds: duration,
      components,
    };
  }

  timeline(review: IncidentReview, includeHidden: boolean): Promise<ReviewTimelineItem[]> {
    return timelineOf(this.db, review, includeHidden);
  }

  async preventiveActions(review: IncidentReview): Promise<ReviewPreventiveActions> {
    return { notes: review.preventiveNotes, tasks: await preventiveTasksOf(this.db, review) };
  }

  async participantSections(review: IncidentReview): Promise<ReviewParticipantSection[]> {
    return this.db.query(
      `SELECT author_name AS "authorName", body, created_at AS "createdAt", updated_at AS "updatedAt" FROM review_participant_section WHERE review_id = $1 ORDER BY created_at, id`,
      [review.id],
    );
  }

  missingSections(review: IncidentReview): Promise<ReviewSection[]> {
    return missingSections(this.db, review);
  }

  /** Newest first. */
  async history(review: IncidentReview, page: PageArgs): Promise<Page<ReviewEdit>> {
    const limit = pageSize(page.first);
    const params: unknown[] = [review.id, limit + 1];
    let after = '';
    if (page.after) {
      const { sortKey } = decodeCursor(page.after);
      if (!/^\d+$/.test(sortKey)) throw badInput('after', 'is not a valid cursor');
      params.push(sortKey);
      after = `AND seq < $3`;
    }
    const rows: Array<{ id: string; seq: string; action: ReviewEditAction; document: ReviewDocument; section: ReviewSection | null; actor_name: string; at: Date; changes: Record<string, unknown> }> = await this.db.query(
      `SELECT id, seq::text, action, document, section, actor_name, at, changes FROM review_edit WHERE review_id = $1 ${after} ORDER BY seq DESC LIMIT $2`,
      params,
    );
    const nodes = rows.slice(0, limit);
    return {
      nodes: nodes.map((row) => ({ id: row.id, action: row.action, document: row.document, section: row.section, actorName: row.actor_name, at: row.at, changes: row.changes })),
      cursors: nodes.map((row) => encodeCursor(row.seq, row.id)),
      hasNextPage: rows.length > limit,
      totalCount: async () => (await this.db.query(`SELECT count(*)::int AS count FROM review_edit WHERE review_id = $1`, [review.id]))[0].count,
    };
  }
}
