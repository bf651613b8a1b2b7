import type { EntityManager } from 'typeorm';
import { emitChange } from '../../db/changes';
import type { Actor } from '../../shared/actor';
import type { ReviewEditAction } from '../../shared/enums';
import { appendTimeline } from '../timeline.service';

export interface RcaStep {
  incidentId: string;
  reviewId: string;
  action: ReviewEditAction;
  at: Date;
  section?: string | null;
  changes?: Record<string, unknown>;
  /** The incident timeline's record of a lifecycle step (edits have none: the edit log holds them). */
  timeline?: { kind: string; message: string; data?: Record<string, unknown> };
}

/** Every step of an RCA, in its transaction: the edit log (document RCA), the timeline for lifecycle steps, REVIEW_UPDATED. */
export async function recordRcaStep(manager: EntityManager, actor: Actor, step: RcaStep): Promise<void> {
  await manager.query(
    `INSERT INTO review_edit (review_id, document, action, section, actor_type, actor_id, actor_name, at, changes) VALUES ($1, 'RCA', $2, $3, $4, $5, $6, $7, $8)`,
    [step.reviewId, step.action, step.section ?? null, actor.type, actor.id, actor.name, step.at, JSON.stringify(step.changes ?? {})],
  );
  if (step.timeline) await appendTimeline(manager, actor, { incidentId: step.incidentId, at: step.at, ...step.timeline });
  await emitChange(manager, { topic: 'REVIEW_UPDATED', incidentId: step.incidentId, reviewId: step.reviewId, document: 'RCA' });
}
