import type { EntityManager } from 'typeorm';
import { emitChange } from '../../db/changes';
import { DetectionSource, IncidentSource, MitigationStatus, ReviewEditAction, ReviewOrigin, ReviewStatus } from '../../schema/enums';
import type { Incident } from '../../schema/incident.entity';
import { IncidentReview } from '../../schema/incident-review.entity';
import type { Actor } from '../../shared/actor';
import type { Clock } from '../../shared/clock';
import { appendTimeline } from '../timeline.service';
import { recordReviewEdit } from './review-edits';
import type { TaskService } from '../task.service';
import type { ReviewFollowupHooks } from './review-hooks';

const DETECTION_OF: Record<IncidentSource, DetectionSource> = {
  MONITORING: DetectionSource.MONITORING,
  INTERNAL: DetectionSource.INTERNAL,
  MAINTENANCE: DetectionSource.INTERNAL,
  CUSTOMER_REPORT: DetectionSource.CUSTOMER,
  PROVIDER: DetectionSource.PROVIDER,
};

const OUTCOME_WORDS: Record<MitigationStatus, string> = {
  PLANNED: 'planned, never started',
  IN_PROGRESS: 'still in progress',
  EFFECTIVE: 'effective',
  NOT_EFFECTIVE: 'not effective',
};

export interface DraftFacts {
  incident: Incident;
  steps: Array<{ description: string; status: MitigationStatus; temporary: boolean }>;
  /** The earliest start the alerts' vendors reported; null when none did. */
  earliestAlertStart: Date | null;
}

export const defaultOrigin = (source: IncidentSource): ReviewOrigin => (source === IncidentSource.PROVIDER ? ReviewOrigin.EXTERNAL : ReviewOrigin.INTERNAL);

/** The IRF's sections as the system already knows them, so nobody retypes what the incident recorded. */
export function draftReview({ incident, steps, earliestAlertStart }: DraftFacts): Partial<IncidentReview> {
  const summary = [incident.title, incident.description].filter(Boolean).join('\n\n');
  const mitigationNotes = steps.length
    ? steps.map((step) => `- ${step.description} (${OUTCOME_WORDS[step.status]}${step.temporary ? ', temporary' : ''})`).join('\n')
    : null;
  return {
    summary,
    detectionSource: DETECTION_OF[incident.source],
    impactStartedAt: earliestAlertStart,
    mitigationNotes,
    impactProducts: incident.impactProducts,
    impactChannels: incident.impactChannels,
    impactLocations: incident.impactLocations,
    impactDescription: incident.impactDescription,
  };
}

/** Opens IRFs inside the caller's transaction: by hand (ReviewService.open) and when an incident resolves. */
export class ReviewDrafter {
  constructor(
    private readonly clock: Clock,
    private readonly followup: ReviewFollowupHooks | null,
    private readonly tasks: Pick<TaskService, 'adoptIntoReview'>,
  ) {}

  /** The incident must be locked by the caller; null when it already has an IRF. */
  async openIn(manager: EntityManager, actor: Actor, incident: Incident, origin?: ReviewOrigin | null): Promise<IncidentReview | null> {
    const steps = await manager.query(`SELECT description, status, temporary FROM mitigation_step WHERE incident_id = $1 ORDER BY announced_at, id`, [incident.id]);
    const [{ start }] = await manager.query(`SELECT min(starts_at) AS start FROM alert WHERE incident_id = $1`, [incident.id]);
    const now = this.clock.now();
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(IncidentReview)
      .values({
        ...draftReview({ incident, steps, earliestAlertStart: start ? new Date(start) : null }),
        incidentId: incident.id,
        status: ReviewStatus.DRAFT,
        origin: origin ?? defaultOrigin(incident.source),
        revision: 1,
        openedAt: now,
        updatedAt: now,
      })
      .orIgnore()
      .returning('id')
      .execute();
    const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
    if (!id) return null;
    const review = await manager.getRepository(IncidentReview).findOneByOrFail({ id });
    // Tasks created for the incident before its IRF (e.g. long-term fixes) become its preventive actions.
    await this.tasks.adoptIntoReview(manager, incident.id, id);
    await recordReviewEdit(manager, actor, { reviewId: id, action: ReviewEditAction.OPENED, at: now, changes: {} });
    await appendTimeline(manager, actor, { incidentId: incident.id, kind: 'REVIEW_OPENED', at: now, message: `incident record file opened by ${actor.name}`, data: { reviewId: id, origin: review.origin } });
    await emitChange(manager, { topic: 'REVIEW_UPDATED', incidentId: incident.id, reviewId: id, document: 'IRF' });
    await this.followup?.opened(manager, { incidentId: incident.id, origin: review.origin, resolvedAt: incident.resolvedAt ?? now });
    return review;
  }
}
