import type { EntityManager } from 'typeorm';
import type { ReviewOrigin } from '../../schema/enums';

/** What the follow-up (what is due, by when, and whether it is met) learns from the review documents, in their transactions. */
export interface ReviewFollowupHooks {
  /** An IRF was opened for a resolved incident: the follow-up becomes due. */
  opened(manager: EntityManager, review: { incidentId: string; origin: ReviewOrigin; resolvedAt: Date }): Promise<void>;
  /** The origin changed, the IRF was approved or reopened, or the RCA was published: what is due and whether it is met is decided again. */
  changed(manager: EntityManager, incidentId: string): Promise<void>;
}
