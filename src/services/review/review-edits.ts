import type { EntityManager } from 'typeorm';
import { ReviewDocument, type ReviewEditAction, type ReviewSection } from '../../schema/enums';
import type { Actor } from '../../shared/actor';

export interface ReviewEditRecord {
  reviewId: string;
  action: ReviewEditAction;
  at: Date;
  section?: ReviewSection | null;
  document?: ReviewDocument;
  /** {field: {from, to}} */
  changes: Record<string, unknown>;
}

/** Every edit and lifecycle step of a review document is kept: who, when, which section, what changed. */
export async function recordReviewEdit(manager: EntityManager, actor: Actor, edit: ReviewEditRecord): Promise<void> {
  await manager.query(
    `INSERT INTO review_edit (review_id, document, action, section, actor_type, actor_id, actor_name, at, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [edit.reviewId, edit.document ?? ReviewDocument.IRF, edit.action, edit.section ?? null, actor.type, actor.id, actor.name, edit.at, JSON.stringify(edit.changes)],
  );
}
