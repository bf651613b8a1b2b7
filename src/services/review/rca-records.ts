import type { EntityManager } from 'typeorm';
import { emitChange } from '../../db/changes';
import type { Actor } from '../../shared/actor';
import { ReviewDocument, type ReviewEditAction } from '../../shared/enums';
import { recordReviewEdit } from './review-edits';
import { appendTimeline } from '../timeline.service';

export interface RcaStep {
  incidentId: string;
  reviewId: string;
  action: ReviewEditAction;
  at: Date;
  changes?: Record<string, unknown>;
  /** The incident timeline's record of a lifecycle step (edits have none: the edit log holds them). */
  timeline?: { kind: string; message: string; data?: Record<string, unknown> };
}

/** Every step of an RCA, in its transaction: the edit log (document RCA), the timeline for lifecycle steps, REVIEW_UPDATED. */
export async function recordRcaStep(manager: EntityManager, actor: Actor, step: RcaStep): Promise<void> {
  await recordReviewEdit(manager, actor, { reviewId: step.reviewId, document: ReviewDocument.RCA, action: step.action, at: step.at, section: null, changes: step.changes ?? {} });
  if (step.timeline) await appendTimeline(manager, actor, { incidentId: step.incidentId, at: step.at, ...step.timeline });
  await emitChange(manager, { topic: 'REVIEW_UPDATED', incidentId: step.incidentId, reviewId: step.reviewId, document: 'RCA' });
}
