import type { EntityManager } from 'typeorm';
import { Incident } from '../../schema/incident.entity';
import { IncidentReview } from '../../schema/incident-review.entity';
import type { CauseKind, DetectionSource, ReviewOrigin, ReviewStatus } from '../../shared/enums';
import { causesOf, mitigationStepsOf, preventiveTasksOf, timelineOf, timingsOf } from './review-reader';
import type { ReviewTimings } from './review-timings';

/** What an RCA is generated from: the IRF as the API reads it, with the incident's facts and names resolved. */
export interface ReviewSnapshot {
  reviewId: string;
  status: ReviewStatus;
  origin: ReviewOrigin;
  incident: { id: string; number: number; title: string; serviceName: string; openedAt: Date; resolvedAt: Date | null };
  summary: string | null;
  detection: { source: DetectionSource | null; impactStartedAt: Date | null; firstAlertAt: Date | null; notes: string | null };
  timings: ReviewTimings;
  mitigation: { notes: string | null; fasterMitigation: string | null; steps: Array<{ description: string; outcome: string; temporary: boolean }> };
  /** Root causes first, then the contributing factors, each in the authors' order. */
  causes: Array<{ kind: CauseKind; category: string; description: string }>;
  impact: { customers: string | null; products: string[]; channels: string[]; locations: string[]; description: string | null };
  /** The timeline as the review shows it (hidden events left out), oldest first. */
  timeline: Array<{ at: Date; kind: string; message: string; pinned: boolean; added: boolean }>;
  /** Tasks by due date, undated last. */
  preventive: { notes: string | null; tasks: Array<{ title: string; ownerName: string | null; dueAt: Date | null; status: string; priority: string; externalUrl: string | null }> };
  lessons: string | null;
}

/**
 * The IRF of an incident read inside the caller's transaction, or null when none was opened. It goes through the
 * same section readers as the API, so the RCA is drafted from exactly what the review shows.
 */
export async function readReviewSnapshot(manager: EntityManager, incidentId: string): Promise<ReviewSnapshot | null> {
  const review = await manager.findOneBy(IncidentReview, { incidentId });
  if (!review) return null;
  const incident = await manager.findOneByOrFail(Incident, { id: incidentId });
  const [{ name: serviceName }] = await manager.query(`SELECT name FROM service WHERE id = $1`, [incident.serviceId]);
  const timings = await timingsOf(manager, review, incident);
  const causes = await causesOf(manager, review);
  const timeline = await timelineOf(manager, review, false);
  const steps = await mitigationStepsOf(manager, incidentId);
  const tasks = await preventiveTasksOf(manager, review);
  const ownerIds = [...new Set(tasks.map((task) => task.ownerId).filter((id): id is string => id !== null))];
  const owners: Array<{ id: string; name: string }> = ownerIds.length ? await manager.query(`SELECT id, name FROM person WHERE id = ANY($1)`, [ownerIds]) : [];
  const ownerName = new Map(owners.map((owner) => [owner.id, owner.name]));
  const rootFirst = (kind: CauseKind) => (kind === 'ROOT' ? 0 : 1);
  const dueOrder = (dueAt: Date | null) => dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return {
    reviewId: review.id,
    status: review.status,
    origin: review.origin,
    incident: { id: incidentId, number: incident.number, title: incident.title, serviceName, openedAt: incident.openedAt, resolvedAt: incident.resolvedAt },
    summary: review.summary,
    detection: { source: review.detectionSource, impactStartedAt: review.impactStartedAt, firstAlertAt: timings.firstAlertAt, notes: review.detectionNotes },
    timings,
    mitigation: { notes: review.mitigationNotes, fasterMitigation: review.fasterMitigation, steps },
    causes: causes
      .map((cause, index) => ({ cause, index }))
      .sort((a, b) => rootFirst(a.cause.kind) - rootFirst(b.cause.kind) || a.index - b.index)
      .map(({ cause }) => ({ kind: cause.kind, category: cause.category.name, description: cause.description })),
    impact: { customers: review.impactCustomers, products: review.impactProducts, channels: review.impactChannels, locations: review.impactLocations, description: review.impactDescription },
    timeline,
    preventive: {
      notes: review.preventiveNotes,
      tasks: tasks
        .map((task, index) => ({ task, index }))
        .sort((a, b) => dueOrder(a.task.dueAt) - dueOrder(b.task.dueAt) || a.index - b.index)
        .map(({ task }) => ({ title: task.title, ownerName: task.ownerId ? (ownerName.get(task.ownerId) ?? null) : null, dueAt: task.dueAt, status: task.status, priority: task.priority, externalUrl: task.externalUrl })),
    },
    lessons: review.lessons,
  };
}
