import { ActorType, CauseKind, DetectionSource, IncidentSource, IncidentStatus, MitigationStatus, Priority, Resolution, ReviewEditAction, ReviewSection, ReviewStatus } from '../../../src/schema/enums';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { ErrorCode } from '../../../src/shared/domain-error';
import { startTestApp, type TestApp } from '../../support/test-app';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder', personId: null };
const rui: Actor = { type: ActorType.TOKEN, id: 'token-rui', name: 'Rui Reviewer', personId: null };
const MINUTE = 60_000;

describe('Incident Record File (ReviewService)', () => {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  let t: TestApp;
  let serviceId: string;
  let categoryId: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    serviceId = (await t.app.services.catalog.createService({ name: 'SMS gateway', slug: 'sms-gateway' })).id;
    categoryId = (await t.app.services.causeCategories.list())[0].id;
  });
  afterAll(() => t.close());

  /** Declared at 10:00, acknowledged at +4 min, a step effective at +20, mitigated at +25, resolved at +70. */
  async function resolvedIncident(resolution = Resolution.FIXED, source = IncidentSource.MONITORING) {
    clock.set('2026-03-02T10:00:00Z');
    const incident = await t.app.services.incidents.declare(ana, {
      title: 'SMS delivery delayed',
      description: 'Queue backlog on the EU cluster',
      serviceId,
      priority: Priority.P1,
      source,
      impact: { channels: ['SMS'], locations: ['eu-west'], description: 'Messages delayed up to 20 minutes' },
    });
    clock.advance(4 * MINUTE);
    await t.app.services.incidents.acknowledge(ana, incident.id);
    const step = await t.app.services.mitigations.add(ana, { incidentId: incident.id, description: 'Drain the stuck consumer' });
    clock.advance(16 * MINUTE);
    await t.app.services.mitigations.updateStatus(ana, step.id, MitigationStatus.EFFECTIVE);
    clock.advance(5 * MINUTE);
    await t.app.services.incidents.mitigate(ana, incident.id);
    clock.advance(45 * MINUTE);
    await t.app.services.incidents.resolve(ana, incident.id, resolution);
    return incident;
  }

  const reviewOf = (incidentId: string) => t.app.services.reviews.get(incidentId);

  async function fillRequired(incidentId: string) {
    const { reviews } = t.app.services;
    await reviews.updateSection(ana, { incidentId, detection: { impactStartedAt: new Date('2026-03-02T09:52:00Z') } });
    await reviews.updateSection(ana, { incidentId, causes: [{ kind: CauseKind.ROOT, categoryId, description: 'Consumer deadlocked on a poison message' }] });
    await reviews.updateSection(ana, { incidentId, preventiveActions: { notes: 'Dead-letter poison messages after 3 attempts' } });
  }

  it('opens a drafted IRF when the incident resolves, with the timings computed from the clock', async () => {
    const incident = await resolvedIncident();
    const review = await reviewOf(incident.id);
    expect(review).toMatchObject({ status: ReviewStatus.DRAFT, origin: 'INTERNAL', revision: 1, detectionSource: DetectionSource.MONITORING, impactChannels: ['SMS'], impactLocations: ['eu-west'] });
    expect(review.summary).toBe('SMS delivery delayed\n\nQueue backlog on the EU cluster');
    expect(review.mitigationNotes).toBe('- Drain the stuck consumer (effective)');
    expect(review.impactDescription).toBe('Messages delayed up to 20 minutes');

    const loaded = await t.app.services.incidents.get(incident.id);
    expect(await t.app.services.reviewReader.detection(review, loaded)).toMatchObject({
      detectedAt: new Date('2026-03-02T10:00:00Z'),
      timeToDetectSeconds: null,
      timeToAcknowledgeSeconds: 240,
      timeToMitigateSeconds: 25 * 60,
      timeToResolveSeconds: 70 * 60,
    });
    await t.app.services.reviews.updateSection(ana, { incidentId: incident.id, detection: { impactStartedAt: new Date('2026-03-02T09:52:00Z') } });
    const corrected = await reviewOf(incident.id);
    expect((await t.app.services.reviewReader.detection(corrected, loaded)).timeToDetectSeconds).toBe(8 * 60);
    expect((await t.app.services.reviewReader.impact(corrected, loaded)).components).toEqual([{ serviceId, impact: 'MAJOR_OUTAGE', downtimeSeconds: 78 * 60 }]);

    const kinds = (await t.app.services.timeline.list(incident.id, 100)).map((event) => event.kind);
    expect(kinds.slice(0, 2)).toEqual(['REVIEW_OPENED', 'RESOLVED']);
    // The follow-up learned of it in the same transaction: an RCA is owed (due dates are tested with the follow-up).
    expect(await t.app.db.query(`SELECT document, met_at FROM review_followup WHERE incident_id = $1`, [incident.id])).toEqual([{ document: 'RCA', met_at: null }]);
  });

  it('opens none for a false positive until asked for, and then refuses a second', async () => {
    const incident = await resolvedIncident(Resolution.FALSE_POSITIVE);
    await expect(reviewOf(incident.id)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    const opened = await t.app.services.reviews.open(ana, { incidentId: incident.id });
    expect(opened.status).toBe(ReviewStatus.DRAFT);
    await expect(t.app.services.reviews.open(ana, { incidentId: incident.id })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
  });

  it('takes EXTERNAL as the origin of a provider incident', async () => {
    const incident = await resolvedIncident(Resolution.FIXED, IncidentSource.PROVIDER);
    expect((await reviewOf(incident.id)).origin).toBe('EXTERNAL');
  });

  it('refuses an edit naming no section or two, and one made on a stale revision', async () => {
    const incident = await resolvedIncident();
    await expect(t.app.services.reviews.updateSection(ana, { incidentId: incident.id })).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: 'input' });
    await expect(t.app.services.reviews.updateSection(ana, { incidentId: incident.id, summary: 'a', lessons: 'b' })).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: 'summary, lessons' });
    await t.app.services.reviews.updateSection(ana, { incidentId: incident.id, revision: 1, lessons: 'Alert on queue age' });
    await expect(t.app.services.reviews.updateSection(rui, { incidentId: incident.id, revision: 1, lessons: 'other' })).rejects.toMatchObject({ code: ErrorCode.CONFLICT, field: 'revision' });
    expect((await reviewOf(incident.id)).lessons).toBe('Alert on queue age');
  });

  it('names every missing section when approving, then approves once they are filled and the incident is REVIEWED', async () => {
    const incident = await resolvedIncident();
    await t.app.services.reviews.updateSection(ana, { incidentId: incident.id, summary: null });
    await t.app.services.reviews.submit(ana, incident.id);
    const refused = t.app.services.reviews.approve(rui, incident.id);
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: 'missingSections' });
    await expect(refused).rejects.toThrow('SUMMARY, DETECTION, CAUSES, PREVENTIVE_ACTIONS');
    expect((await t.app.services.incidents.get(incident.id)).status).toBe(IncidentStatus.RESOLVED);

    await fillRequired(incident.id);
    await t.app.services.reviews.updateSection(ana, { incidentId: incident.id, summary: 'Consumer deadlock delayed SMS for 70 minutes' });
    clock.advance(MINUTE);
    const approved = await t.app.services.reviews.approve(rui, incident.id);
    expect(approved).toMatchObject({ status: ReviewStatus.APPROVED, approvedByName: 'Rui Reviewer', approvedAt: clock.now() });
    expect(await t.app.services.incidents.get(incident.id)).toMatchObject({ status: IncidentStatus.REVIEWED, reviewedAt: clock.now() });
  });

  it('keeps an approved IRF read-only until reopened, records the reopening and moves the incident back', async () => {
    const incident = await resolvedIncident();
    await fillRequired(incident.id);
    await t.app.services.reviews.submit(ana, incident.id);
    await t.app.services.reviews.approve(rui, incident.id);
    await expect(t.app.services.reviews.updateSection(ana, { incidentId: incident.id, lessons: 'late' })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
    await expect(t.app.services.incidents.markReviewed(ana, incident.id)).rejects.toMatchObject({ code: ErrorCode.CONFLICT });

    const reopened = await t.app.services.reviews.reopen(rui, incident.id);
    expect(reopened).toMatchObject({ status: ReviewStatus.DRAFT, approvedAt: null });
    expect((await t.app.services.incidents.get(incident.id)).status).toBe(IncidentStatus.RESOLVED);
    await t.app.services.reviews.updateSection(ana, { incidentId: incident.id, lessons: 'late' });

    const history = await t.app.services.reviewReader.history(reopened, { first: 50 });
    const steps = history.nodes.map((edit) => [edit.action, edit.section, edit.actorName]);
    expect(steps).toEqual([
      [ReviewEditAction.EDITED, ReviewSection.LESSONS, 'Ana Responder'],
      [ReviewEditAction.REOPENED, null, 'Rui Reviewer'],
      [ReviewEditAction.APPROVED, null, 'Rui Reviewer'],
      [ReviewEditAction.SUBMITTED, null, 'Ana Responder'],
      [ReviewEditAction.EDITED, ReviewSection.PREVENTIVE_ACTIONS, 'Ana Responder'],
      [ReviewEditAction.EDITED, ReviewSection.CAUSES, 'Ana Responder'],
      [ReviewEditAction.EDITED, ReviewSection.DETECTION, 'Ana Responder'],
      [ReviewEditAction.OPENED, null, 'incident-bridge'],
    ]);
    expect(history.nodes[0].changes).toEqual({ lessons: { from: null, to: 'late' } });
    expect((await t.app.services.timeline.list(incident.id, 100)).map((event) => event.kind)).toEqual(expect.arrayContaining(['REVIEW_SUBMITTED', 'REVIEWED', 'REVIEW_REOPENED']));
  });

  it('pins, hides and adds timeline entries, and keeps one participant section per author', async () => {
    const incident = await resolvedIncident();
    const review = await reviewOf(incident.id);
    const events = await t.app.services.timeline.list(incident.id, 100);
    const acknowledged = events.find((event) => event.kind === 'ACKNOWLEDGED')!;
    const declared = events.find((event) => event.kind === 'INCIDENT_DECLARED')!;
    await t.app.services.reviews.updateSection(ana, {
      incidentId: incident.id,
      timeline: { pin: [acknowledged.id], hide: [declared.id], addEntries: [{ at: new Date('2026-03-02T09:55:00Z'), message: 'Customer tweets about delays', pinned: true }] },
    });
    const timeline = await t.app.services.reviewReader.timeline(review, false);
    expect(timeline.map((item) => item.kind)).not.toContain('INCIDENT_DECLARED');
    expect(timeline[0]).toMatchObject({ kind: 'REVIEW_ENTRY', message: 'Customer tweets about delays', added: true, pinned: true, actorName: 'Ana Responder' });
    expect(timeline.find((item) => item.timelineEventId === acknowledged.id)).toMatchObject({ pinned: true });
    expect((await t.app.services.reviewReader.timeline(review, true)).find((item) => item.timelineEventId === declared.id)).toMatchObject({ hidden: true });

    await t.app.services.reviews.updateSection(ana, { incidentId: incident.id, participantReview: 'I saw the queue grow first' });
    clock.advance(MINUTE);
    await t.app.services.reviews.updateSection(rui, { incidentId: incident.id, participantReview: 'Paged late' });
    clock.advance(MINUTE);
    await t.app.services.reviews.updateSection(ana, { incidentId: incident.id, participantReview: 'I saw the queue grow first, at 09:58' });
    expect((await t.app.services.reviewReader.participantSections(review)).map((section) => [section.authorName, section.body])).toEqual([
      ['Ana Responder', 'I saw the queue grow first, at 09:58'],
      ['Rui Reviewer', 'Paged late'],
    ]);
    await expect(
      t.app.services.reviews.updateSection(ana, { incidentId: incident.id, timeline: { addEntries: [{ at: new Date('2027-01-01T00:00:00Z'), message: 'future' }] } }),
    ).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: 'timeline.addEntries[0].at' });
  });

  it('links the long-term fix created before the IRF as one of its preventive actions', async () => {
    clock.set('2026-03-02T10:00:00Z');
    const incident = await t.app.services.incidents.declare(ana, { title: 'Pool exhausted', serviceId, priority: Priority.P2 });
    await t.app.services.mitigations.add(ana, { incidentId: incident.id, description: 'Restart the pool', temporary: true, longTermFix: { title: 'Size the pool for retries' } });
    clock.advance(10 * MINUTE);
    await t.app.services.incidents.resolve(ana, incident.id);
    const review = await reviewOf(incident.id);
    expect((await t.app.services.reviewReader.preventiveActions(review)).tasks.map((task) => [task.title, task.reviewId])).toEqual([['Size the pool for retries', review.id]]);
    expect(await t.app.services.reviewReader.missingSections(review)).toEqual([ReviewSection.DETECTION, ReviewSection.CAUSES, ReviewSection.IMPACT]);
  });
});
