import type { DataSource, EntityManager } from 'typeorm';
import { RcaDocument, RcaSection, RcaVersion, type RcaSectionContent } from '../../schema/rca.entity';
import { RcaStatus, ReviewEditAction, ReviewOrigin, ReviewStatus, SectionVisibility } from '../../schema/enums';
import type { Actor } from '../../shared/actor';
import type { Clock } from '../../shared/clock';
import { badInput, conflict, notFound } from '../../shared/domain-error';
import type { Page, PageArgs } from '../../shared/page';
import type { IncidentService } from '../incident.service';
import { decodeCursor, encodeCursor, pageSize } from '../pagination';
import type { PublicLinkKeys } from '../public-link-keys';
import { requireUuid } from '../validation';
import { compareRca, type RcaComparison } from './rca-compare';
import { draftRca } from './rca-draft';
import { applyRcaEdit, type UpdateRcaFields } from './rca-edits';
import { recordRcaStep } from './rca-records';
import type { ReviewFollowupHooks } from './review-hooks';
import { readReviewSnapshot } from './review-snapshot';

/** An RCA with its current sections in order. */
export interface RcaWithSections {
  document: RcaDocument;
  sections: RcaSectionContent[];
}

/** What the public RCA view shows: the latest published version's PUBLIC sections, nothing else. */
export interface PublicRca {
  title: string;
  version: number;
  publishedAt: Date;
  incidentTitle: string;
  sections: RcaSectionContent[];
}

/**
 * The Root Cause Analysis of an internal-origin incident: generated from its IRF (IN_REVIEW or APPROVED), edited,
 * DRAFT → IN_REVIEW → PUBLISHED. Publishing freezes the content as version N+1; an edit after that starts the next
 * version as a DRAFT while the published one stays what the public view shows.
 */
export class RcaService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly incidents: IncidentService,
    private readonly keys: PublicLinkKeys,
    private readonly followup: ReviewFollowupHooks | null,
  ) {}

  async byIncidentIds(incidentIds: readonly string[]): Promise<RcaDocument[]> {
    return this.db.getRepository(RcaDocument).createQueryBuilder('r').where('r.incident_id = ANY(:ids)', { ids: incidentIds }).getMany();
  }

  async sectionsOf(rcaId: string, manager: DataSource | EntityManager = this.db): Promise<RcaSectionContent[]> {
    return manager.query(`SELECT key, title, body, visibility FROM rca_section WHERE rca_id = $1 ORDER BY position, key`, [rcaId]);
  }

  /** The current sections of many RCAs at once, each RCA's in order. */
  async sectionsOfRcas(rcaIds: readonly string[]): Promise<Array<RcaSectionContent & { rcaId: string }>> {
    return this.db.query(`SELECT rca_id AS "rcaId", key, title, body, visibility FROM rca_section WHERE rca_id = ANY($1) ORDER BY rca_id, position, key`, [rcaIds]);
  }

  async get(incidentId: string): Promise<RcaWithSections> {
    const [document] = await this.byIncidentIds([requireUuid('incidentId', incidentId)]);
    if (!document) throw notFound('RCA of incident', incidentId);
    return { document, sections: await this.sectionsOf(document.id) };
  }

  async generate(actor: Actor, incidentId: string): Promise<RcaWithSections> {
    requireUuid('incidentId', incidentId);
    return this.db.transaction(async (manager) => {
      const incident = await this.incidents.lock(manager, incidentId);
      const review = await readReviewSnapshot(manager, incidentId);
      if (!review) throw conflict(`incident #${incident.number} has no incident record file: an RCA is generated from it`);
      if (review.origin !== ReviewOrigin.INTERNAL) throw conflict(`incident #${incident.number} originated outside our platform (origin ${review.origin}): its approved IRF is what is due, not an RCA`, 'origin');
      if (review.status === ReviewStatus.DRAFT) throw conflict(`the incident record file of #${incident.number} is DRAFT: submit it (submitReview) before generating the RCA`);
      const [existing] = await manager.query(`SELECT id FROM rca_document WHERE incident_id = $1`, [incidentId]);
      if (existing) throw conflict(`incident #${incident.number} already has an RCA: edit it (updateRca)`);
      const now = this.clock.now();
      const draft = draftRca(review);
      const document = manager.create(RcaDocument, {
        incidentId,
        reviewId: review.reviewId,
        status: RcaStatus.DRAFT,
        title: draft.title,
        revision: 1,
        publishedVersion: null,
        createdAt: now,
        submittedAt: null,
        publishedAt: null,
        updatedAt: now,
      });
      await manager.insert(RcaDocument, document);
      await this.writeSections(manager, document.id, draft.sections);
      await recordRcaStep(manager, actor, {
        incidentId,
        reviewId: review.reviewId,
        action: ReviewEditAction.GENERATED,
        at: now,
        timeline: { kind: 'RCA_GENERATED', message: `root cause analysis generated from the incident record file by ${actor.name}`, data: { rcaId: document.id } },
      });
      return { document, sections: draft.sections };
    });
  }

  async update(actor: Actor, input: UpdateRcaFields & { incidentId: string }): Promise<RcaWithSections> {
    return this.inRca(input.incidentId, async (manager, document) => {
      if (input.revision !== undefined && input.revision !== null && input.revision !== document.revision) {
        throw conflict(`the RCA is at revision ${document.revision}, not ${input.revision}: re-read it and edit again`, 'revision');
      }
      const current = { title: document.title, sections: await this.sectionsOf(document.id, manager) };
      const edited = applyRcaEdit(current, input);
      if (!Object.keys(edited.changes).length) return { document, sections: current.sections };
      const now = this.clock.now();
      // An edit of a published RCA is the next version's draft; the published version stays on the public view.
      if (document.status === RcaStatus.PUBLISHED) document.status = RcaStatus.DRAFT;
      document.title = edited.title;
      document.revision += 1;
      document.updatedAt = now;
      await manager.save(RcaDocument, document);
      await this.writeSections(manager, document.id, edited.sections);
      await recordRcaStep(manager, actor, { incidentId: document.incidentId, reviewId: document.reviewId, action: ReviewEditAction.EDITED, at: now, changes: edited.changes });
      return { document, sections: edited.sections };
    });
  }

  submit(actor: Actor, incidentId: string): Promise<RcaWithSections> {
    return this.inRca(incidentId, async (manager, document) => {
      if (document.status !== RcaStatus.DRAFT) throw conflict(`cannot submit the RCA: it is ${document.status} (submit needs DRAFT)`);
      const now = this.clock.now();
      document.status = RcaStatus.IN_REVIEW;
      document.submittedAt = now;
      document.updatedAt = now;
      await manager.save(RcaDocument, document);
      await recordRcaStep(manager, actor, {
        incidentId,
        reviewId: document.reviewId,
        action: ReviewEditAction.SUBMITTED,
        at: now,
        changes: { status: { from: RcaStatus.DRAFT, to: RcaStatus.IN_REVIEW } },
        timeline: { kind: 'RCA_SUBMITTED', message: `root cause analysis submitted for review by ${actor.name}`, data: { rcaId: document.id } },
      });
      return { document, sections: await this.sectionsOf(document.id, manager) };
    });
  }

  publish(actor: Actor, incidentId: string): Promise<RcaWithSections> {
    return this.inRca(incidentId, async (manager, document) => {
      if (document.status !== RcaStatus.IN_REVIEW) throw conflict(`cannot publish the RCA: it is ${document.status} (publish needs IN_REVIEW)`);
      const now = this.clock.now();
      const sections = await this.sectionsOf(document.id, manager);
      const version = (document.publishedVersion ?? 0) + 1;
      await manager.insert(RcaVersion, { rcaId: document.id, version, title: document.title, sections, publishedAt: now, publishedByName: actor.name });
      document.status = RcaStatus.PUBLISHED;
      document.publishedVersion = version;
      document.publishedAt = now;
      document.updatedAt = now;
      document.publicId ??= await this.keys.publicId('rca', document.id);
      await manager.save(RcaDocument, document);
      await recordRcaStep(manager, actor, {
        incidentId,
        reviewId: document.reviewId,
        action: ReviewEditAction.PUBLISHED,
        at: now,
        changes: { version: { from: version - 1 || null, to: version } },
        timeline: { kind: 'RCA_PUBLISHED', message: `root cause analysis version ${version} published by ${actor.name}`, data: { rcaId: document.id, version } },
      });
      await this.followup?.changed(manager, incidentId);
      return { document, sections };
    });
  }

  /** Newest first. */
  /** The published versions, newest first, a page at a time. */
  async versions(incidentId: string, page: PageArgs = {}): Promise<Page<RcaVersion>> {
    const { document } = await this.get(incidentId);
    const limit = pageSize(page.first);
    const query = this.db.getRepository(RcaVersion).createQueryBuilder('v').where('v.rca_id = :rcaId', { rcaId: document.id });
    if (page.after) {
      const { sortKey } = decodeCursor(page.after);
      if (!/^\d+$/.test(sortKey)) throw badInput('after', 'is not a valid cursor');
      query.andWhere('v.version < :before', { before: Number(sortKey) });
    }
    const rows = await query.orderBy('v.version', 'DESC').take(limit + 1).getMany();
    const nodes = rows.slice(0, limit);
    return {
      nodes,
      cursors: nodes.map((version) => encodeCursor(String(version.version), version.rcaId)),
      hasNextPage: rows.length > limit,
      totalCount: () => this.db.getRepository(RcaVersion).countBy({ rcaId: document.id }),
    };
  }

  /** One published version of an RCA, or null when that number was never published. */
  version(rcaId: string, version: number): Promise<RcaVersion | null> {
    return this.db.getRepository(RcaVersion).findOneBy({ rcaId, version });
  }

  /** Two published versions, or a version (`from`) against the current draft when `to` is null. */
  async compare(incidentId: string, from: number, to: number | null): Promise<RcaComparison> {
    const { document, sections } = await this.get(incidentId);
    const version = async (number: number, field: string) => {
      const found = await this.version(document.id, number);
      if (!found) throw notFound(`RCA version (${field})`, number);
      return { title: found.title, sections: found.sections };
    };
    return compareRca(await version(from, 'from'), to === null ? { title: document.title, sections } : await version(to, 'to'));
  }

  /** The public view: the latest published version's PUBLIC sections; null for an unknown or unpublished id. */
  async publicView(publicId: string): Promise<PublicRca | null> {
    const [row] = await this.db.query(
      `SELECT v.title, v.version, v.published_at, v.sections, i.title AS incident_title
         FROM rca_document d JOIN rca_version v ON v.rca_id = d.id AND v.version = d.published_version JOIN incident i ON i.id = d.incident_id
        WHERE d.public_id = $1`,
      [publicId],
    );
    if (!row) return null;
    return {
      title: row.title,
      version: row.version,
      publishedAt: row.published_at,
      incidentTitle: row.incident_title,
      sections: (row.sections as RcaSectionContent[]).filter((section) => section.visibility === SectionVisibility.PUBLIC),
    };
  }

  private async writeSections(manager: EntityManager, rcaId: string, sections: RcaSectionContent[]): Promise<void> {
    await manager.query(`DELETE FROM rca_section WHERE rca_id = $1`, [rcaId]);
    for (const [position, section] of sections.entries()) {
      await manager.insert(RcaSection, { rcaId, key: section.key, title: section.title, body: section.body, visibility: section.visibility, position });
    }
  }

  private inRca<T>(incidentId: string, work: (manager: EntityManager, document: RcaDocument) => Promise<T>): Promise<T> {
    requireUuid('incidentId', incidentId);
    return this.db.transaction(async (manager) => {
      await this.incidents.lock(manager, incidentId);
      const document = await manager.getRepository(RcaDocument).createQueryBuilder('r').setLock('pessimistic_write').where('r.incident_id = :incidentId', { incidentId }).getOne();
      if (!document) throw notFound('RCA of incident', incidentId);
      return work(manager, document);
    });
  }
}
