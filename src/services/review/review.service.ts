import type { DataSource, EntityManager } from 'typeorm';
import { emitChange } from '../../db/changes';
import { IncidentStatus, ReviewEditAction, ReviewStatus, type ReviewOrigin } from '../../schema/enums';
import { IncidentReview } from '../../schema/incident-review.entity';
import type { Actor } from '../../shared/actor';
import type { Clock } from '../../shared/clock';
import { DomainError, ErrorCode, conflict, notFound } from '../../shared/domain-error';
import type { IncidentService } from '../incident.service';
import { appendTimeline } from '../timeline.service';
import { requireUuid } from '../validation';
import type { ReviewDrafter } from './review-draft';
import { recordReviewEdit } from './review-edits';
import type { ReviewFollowupHooks } from './review-hooks';
import { missingSections } from './review-reader';
import { applySectionEdit, sectionField, sectionOf, type UpdateReviewSectionInput } from './review-sections';

/** Where each lifecycle step may leave from. */
const STEP_FROM = {
  submit: [ReviewStatus.DRAFT],
  approve: [ReviewStatus.IN_REVIEW],
  reopen: [ReviewStatus.APPROVED],
} as const;

/**
 * The Incident Record File's lifecycle and edits: DRAFT → IN_REVIEW → APPROVED, approval needing every required
 * section and moving the incident to REVIEWED in the same transaction; reopening goes back to DRAFT and RESOLVED.
 * Every edit and step is recorded (review_edit), announced (REVIEW_UPDATED) and told to the follow-up.
 */
export class ReviewService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly incidents: IncidentService,
    private readonly drafter: ReviewDrafter,
    private readonly followup: ReviewFollowupHooks | null,
  ) {}

  async byIncidentIds(incidentIds: readonly string[]): Promise<IncidentReview[]> {
    return this.db.getRepository(IncidentReview).createQueryBuilder('r').where('r.incident_id = ANY(:ids)', { ids: incidentIds }).getMany();
  }

  async get(incidentId: string): Promise<IncidentReview> {
    const [review] = await this.byIncidentIds([requireUuid('incidentId', incidentId)]);
    if (!review) throw notFound('incident record file of incident', incidentId);
    return review;
  }

  /** Opens the IRF by hand: for an incident resolved as FALSE_POSITIVE, or with another origin than the default. */
  async open(actor: Actor, input: { incidentId: string; origin?: ReviewOrigin | null }): Promise<IncidentReview> {
    requireUuid('incidentId', input.incidentId);
    return this.db.transaction(async (manager) => {
      const incident = await this.incidents.lock(manager, input.incidentId);
      if (incident.status !== IncidentStatus.RESOLVED && incident.status !== IncidentStatus.REVIEWED) {
        throw conflict(`incident #${incident.number} is ${incident.status}: its record file opens once it is resolved`);
      }
      const review = await this.drafter.openIn(manager, actor, incident, input.origin);
      if (!review) throw conflict(`incident #${incident.number} already has an incident record file`);
      return review;
    });
  }

  async updateSection(actor: Actor, input: UpdateReviewSectionInput): Promise<IncidentReview> {
    const field = sectionField(input);
    return this.inReview(input.incidentId, async (manager, review, incident) => {
      if (review.status === ReviewStatus.APPROVED) throw conflict('the incident record file is APPROVED: reopen it (reopenReview) to edit it');
      if (input.revision !== undefined && input.revision !== null && input.revision !== review.revision) {
        throw conflict(`the incident record file is at revision ${review.revision}, not ${input.revision}: re-read it and edit again`, 'revision');
      }
      const now = this.clock.now();
      const originBefore = review.origin;
      const changes = await applySectionEdit({ manager, actor, review, incident, now }, input, field);
      if (!Object.keys(changes).length) return review;
      review.revision += 1;
      review.updatedAt = now;
      await manager.save(IncidentReview, review);
      await recordReviewEdit(manager, actor, { reviewId: review.id, action: ReviewEditAction.EDITED, section: sectionOf(field), at: now, changes });
      await this.announce(manager, review);
      if (review.origin !== originBefore) await this.followup?.changed(manager, review.incidentId);
      return review;
    });
  }

  submit(actor: Actor, incidentId: string): Promise<IncidentReview> {
    return this.step(actor, incidentId, 'submit', async (manager, review, now) => {
      review.status = ReviewStatus.IN_REVIEW;
      review.submittedAt = now;
      await appendTimeline(manager, actor, { incidentId, kind: 'REVIEW_SUBMITTED', at: now, message: `incident record file submitted for review by ${actor.name}`, data: { reviewId: review.id } });
      return ReviewEditAction.SUBMITTED;
    });
  }

  approve(actor: Actor, incidentId: string): Promise<IncidentReview> {
    return this.step(actor, incidentId, 'approve', async (manager, review, now) => {
      const missing = await missingSections(manager, review);
      if (missing.length) throw new DomainError(ErrorCode.BAD_USER_INPUT, `cannot approve: these required sections are missing: ${missing.join(', ')}`, 'missingSections');
      review.status = ReviewStatus.APPROVED;
      review.approvedAt = now;
      review.approvedByName = actor.name;
      const incident = await this.incidents.lock(manager, incidentId);
      if (incident.status === IncidentStatus.RESOLVED) await this.incidents.transitionIn(manager, actor, incidentId, 'markReviewed');
      return ReviewEditAction.APPROVED;
    });
  }

  reopen(actor: Actor, incidentId: string): Promise<IncidentReview> {
    return this.step(actor, incidentId, 'reopen', async (manager, review) => {
      review.status = ReviewStatus.DRAFT;
      review.approvedAt = null;
      review.approvedByName = null;
      const incident = await this.incidents.lock(manager, incidentId);
      if (incident.status === IncidentStatus.REVIEWED) await this.incidents.transitionIn(manager, actor, incidentId, 'reopenReview');
      return ReviewEditAction.REOPENED;
    });
  }

  /** A lifecycle step: checks where the IRF is, applies the step, records and announces it. */
  private step(
    actor: Actor,
    incidentId: string,
    name: keyof typeof STEP_FROM,
    apply: (manager: EntityManager, review: IncidentReview, now: Date) => Promise<ReviewEditAction>,
  ): Promise<IncidentReview> {
    return this.inReview(incidentId, async (manager, review) => {
      if (!(STEP_FROM[name] as readonly ReviewStatus[]).includes(review.status)) {
        throw conflict(`cannot ${name} the incident record file: it is ${review.status} (${name} needs ${STEP_FROM[name].join(' or ')})`);
      }
      const now = this.clock.now();
      const from = review.status;
      const action = await apply(manager, review, now);
      review.revision += 1;
      review.updatedAt = now;
      await manager.save(IncidentReview, review);
      await recordReviewEdit(manager, actor, { reviewId: review.id, action, at: now, changes: { status: { from, to: review.status } } });
      await this.announce(manager, review);
      await this.followup?.changed(manager, review.incidentId);
      return review;
    });
  }

  /** Locks the incident, then its IRF (the order transitions take), and runs `work` in that transaction. */
  private inReview<T>(incidentId: string, work: (manager: EntityManager, review: IncidentReview, incident: Awaited<ReturnType<IncidentService['lock']>>) => Promise<T>): Promise<T> {
    requireUuid('incidentId', incidentId);
    return this.db.transaction(async (manager) => {
      const incident = await this.incidents.lock(manager, incidentId);
      const review = await manager.getRepository(IncidentReview).createQueryBuilder('r').setLock('pessimistic_write').where('r.incident_id = :incidentId', { incidentId }).getOne();
      if (!review) throw notFound('incident record file of incident', incidentId);
      return work(manager, review, incident);
    });
  }

  private announce(manager: EntityManager, review: IncidentReview): Promise<void> {
    return emitChange(manager, { topic: 'REVIEW_UPDATED', incidentId: review.incidentId, reviewId: review.id, document: 'IRF' });
  }
}
