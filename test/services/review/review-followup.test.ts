import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { ActorType, EscalationTargetType, Priority, ReviewOrigin, Role, Resolution } from '../../../src/schema/enums';
import type { Services } from '../../../src/services';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { openTwoInstances, type TwoInstances } from '../../support/two-instances';

const actor: Actor = { type: ActorType.TOKEN, id: null, name: 'test', role: Role.ADMIN };
// Lisbon is on UTC in December; 8 December (a Tuesday) is a public holiday in Portugal.
const LISBON = { region: 'PT', extraDates: [], zone: 'Europe/Lisbon' };
const RESOLVED = '2026-12-03T15:00:00Z'; // Thursday
const DUE_AT = '2026-12-10T00:00:00.000Z'; // 3 business days after Thursday: Friday 4, Monday 7, Wednesday 9 (Tuesday 8 is a holiday), by its end

/**
 * The follow-up driven by the migration's tables (incident_review, rca_document rows written here as the IRF and RCA
 * services write them) through the ReviewFollowupHooks they call, with two independent instances racing runDue.
 */
describe('review follow-up', () => {
  const clock = new ManualClock(RESOLVED);
  let instances: TwoInstances;
  let db: DataSource;
  let a: Services;
  let b: Services;
  let owner: string;
  let onCall: string;
  let next: string;
  let reviewer: string;
  let serviceId: string;

  beforeAll(async () => {
    instances = await openTwoInstances(clock, () => ({ maintenanceCalendar: LISBON, review: { dueBusinessDays: 3 } }));
    ({ first: db, a, b } = instances);
    const person = async (name: string) => (await a.catalog.createPerson({ name, email: `${name.toLowerCase().replace(/ /g, '.')}@example.com` })).id;
    owner = await person('Owner');
    onCall = await person('On call');
    next = await person('Next step');
    reviewer = await person('Reviewer');
    const policy = await a.paging.createPolicy({
      name: 'two steps',
      steps: [
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: onCall }] },
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: next }] },
      ],
    });
    serviceId = (await a.catalog.createService({ name: 'checkout', slug: 'checkout' })).id;
    await a.paging.setServicePolicy(serviceId, policy.id);
  });
  afterAll(() => instances.close());
  // Each case counts the decisions of its own incidents: the earlier cases' follow-ups are over.
  beforeEach(() => db.query(`UPDATE review_followup SET met_at = created_at WHERE met_at IS NULL`));

  /** A resolved incident whose IRF the IRF service would have opened: its row, then the hook, in one transaction. */
  async function resolvedWithReview(origin: ReviewOrigin, ownerId: string | null = owner): Promise<string> {
    clock.set(RESOLVED);
    const incident = await a.incidents.declare(actor, { title: 'Payments failing', serviceId, priority: Priority.P2, ownerId });
    // Resolved as a false positive, so no IRF opens by itself: this one's review row is the fixture below.
    await a.incidents.resolve(actor, incident.id, Resolution.FALSE_POSITIVE);
    await db.transaction(async (manager) => {
      await manager.query(`INSERT INTO incident_review (incident_id, status, origin, opened_at, updated_at) VALUES ($1, 'DRAFT', $2, $3, $3)`, [incident.id, origin, clock.now()]);
      await a.reviewFollowups.opened(manager, { incidentId: incident.id, origin, resolvedAt: clock.now() });
    });
    return incident.id;
  }

  async function publishRca(incidentId: string): Promise<void> {
    await db.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO rca_document (incident_id, review_id, status, title, published_version, created_at, published_at, updated_at)
         SELECT incident_id, id, 'PUBLISHED', 'RCA', 1, $2, $2, $2 FROM incident_review WHERE incident_id = $1`,
        [incidentId, clock.now()],
      );
      await b.reviewFollowups.changed(manager, incidentId);
    });
  }

  async function setReviewStatus(incidentId: string, status: 'APPROVED' | 'DRAFT'): Promise<void> {
    await db.transaction(async (manager) => {
      await manager.query(`UPDATE incident_review SET status = $2 WHERE incident_id = $1`, [incidentId, status]);
      await a.reviewFollowups.changed(manager, incidentId);
    });
  }

  /** Both instances drain in batches of 3 at once; returns how many incidents they decided together. */
  async function race(): Promise<number> {
    const drain = async (services: Services) => {
      let decided = 0;
      for (let batch = await services.reviewFollowups.runDue(3); batch > 0; batch = await services.reviewFollowups.runDue(3)) decided += batch;
      return decided;
    };
    const [byA, byB] = await Promise.all([drain(a), drain(b)]);
    return byA + byB;
  }

  /** The reminders of these incidents: (incident, day, person) of each message queued. */
  async function messages(incidentIds: string[]): Promise<Array<{ incident: string; day: string; person: string; subject: string; body: string }>> {
    return db.query(
      `SELECT data->>'incidentId' AS incident, data->>'day' AS day, person_id AS person, subject, body
         FROM notification WHERE idempotency_key LIKE 'rca-reminder:%' AND data->>'incidentId' = ANY($1) ORDER BY day, incident, person`,
      [incidentIds],
    );
  }

  async function timeline(incidentIds: string[]): Promise<Array<{ incident: string; kind: string; message: string; data: Record<string, unknown> }>> {
    return db.query(
      `SELECT incident_id AS incident, kind, message, data FROM timeline_event
        WHERE kind IN ('REVIEW_REMINDER', 'REVIEW_ESCALATED') AND incident_id = ANY($1) ORDER BY at, incident_id`,
      [incidentIds],
    );
  }

  it('an INTERNAL review owes the RCA, an EXTERNAL one the approved IRF, by the end of the 3rd business day after the resolution day', async () => {
    const internal = await resolvedWithReview(ReviewOrigin.INTERNAL);
    const external = await resolvedWithReview(ReviewOrigin.EXTERNAL);
    const rows = await db.query(`SELECT incident_id, document, due_at, met_at FROM review_followup WHERE incident_id = ANY($1)`, [[internal, external]]);
    expect(rows).toEqual(
      expect.arrayContaining([
        { incident_id: internal, document: 'RCA', due_at: new Date(DUE_AT), met_at: null },
        { incident_id: external, document: 'IRF', due_at: new Date(DUE_AT), met_at: null },
      ]),
    );
    // The origin changes: what is owed follows.
    await db.transaction(async (manager) => {
      await manager.query(`UPDATE incident_review SET origin = 'EXTERNAL' WHERE incident_id = $1`, [internal]);
      await a.reviewFollowups.changed(manager, internal);
    });
    expect((await db.query(`SELECT document FROM review_followup WHERE incident_id = $1`, [internal]))[0].document).toBe('IRF');
  });

  it('two runners remind the owner of each incident once a day from 09:00 (local) after the resolution day, until the RCA is published', async () => {
    const incidents: string[] = [];
    for (let index = 0; index < 8; index += 1) incidents.push(await resolvedWithReview(ReviewOrigin.INTERNAL));

    clock.set('2026-12-03T22:00:00Z'); // the resolution day: nothing yet
    expect(await race()).toBe(0);
    clock.set('2026-12-04T08:59:00Z'); // Friday, before the reminder hour
    expect(await race()).toBe(0);

    clock.set('2026-12-04T09:00:00Z');
    expect(await race()).toBe(incidents.length);
    expect(await race()).toBe(0);
    const friday = await messages(incidents);
    expect(friday.map(({ incident, day, person }) => ({ incident, day, person }))).toEqual(
      [...incidents].sort().map((incident) => ({ incident, day: '2026-12-04', person: owner })),
    );
    expect(friday[0].subject).toBe(`[P2] #${await numberOf(friday[0].incident)} RCA due 2026-12-09, 2 business days left`);
    expect(friday[0].body).toContain('the RCA is due by the end of 2026-12-09 (Europe/Lisbon)');
    expect(friday[0].body).toContain('publishRca');
    const entries = await timeline(incidents);
    expect(entries).toHaveLength(incidents.length);
    expect(entries[0]).toMatchObject({ kind: 'REVIEW_REMINDER', message: 'RCA due 2026-12-09, 2 business days left: reminded Owner' });
    expect(entries[0].data).toMatchObject({ day: '2026-12-04', document: 'RCA', dueAt: DUE_AT, personIds: [owner] });

    // The next day (a Saturday: every day, not business days only) again once each; then half publish their RCA.
    clock.set('2026-12-05T11:00:00Z');
    expect(await race()).toBe(incidents.length);
    const published = incidents.slice(0, 4);
    for (const incident of published) await publishRca(incident);
    expect(await db.query(`SELECT count(*)::int AS met FROM review_followup WHERE incident_id = ANY($1) AND met_at IS NOT NULL`, [published])).toEqual([{ met: 4 }]);

    clock.set('2026-12-06T09:30:00Z');
    expect(await race()).toBe(4);
    const sunday = (await messages(incidents)).filter((message) => message.day === '2026-12-06').map((message) => message.incident);
    expect(sunday).toEqual(incidents.slice(4).sort());
    expect(await db.query(`SELECT day::text, count(*)::int AS count FROM review_reminder WHERE incident_id = ANY($1) GROUP BY day ORDER BY day`, [incidents])).toEqual([
      { day: '2026-12-04', count: 8 },
      { day: '2026-12-05', count: 8 },
      { day: '2026-12-06', count: 4 },
    ]);
    // A draft of the next version after publishing still counts as published.
    await db.query(`UPDATE rca_document SET status = 'DRAFT' WHERE incident_id = $1`, [published[0]]);
    await db.transaction((manager) => a.reviewFollowups.changed(manager, published[0]));
    clock.set('2026-12-07T09:30:00Z');
    expect(await race()).toBe(4);
  });

  it('EXTERNAL: stops when the IRF is approved and starts again when it is reopened', async () => {
    const incident = await resolvedWithReview(ReviewOrigin.EXTERNAL);
    clock.set('2026-12-04T10:00:00Z');
    expect(await race()).toBe(1);
    expect((await messages([incident]))[0].body).toContain('the approved IRF is due by the end of 2026-12-09');
    await setReviewStatus(incident, 'APPROVED');
    clock.set('2026-12-05T10:00:00Z');
    expect(await race()).toBe(0);
    await setReviewStatus(incident, 'DRAFT');
    expect(await race()).toBe(1);
    expect((await messages([incident])).map((message) => message.day)).toEqual(['2026-12-04', '2026-12-05']);
  });

  it('overdue: the owner is still reminded and it escalates to the first escalation step that reaches someone else, then to the configured reviewer', async () => {
    const owned = await resolvedWithReview(ReviewOrigin.INTERNAL);
    const unowned = await resolvedWithReview(ReviewOrigin.INTERNAL, null);
    clock.set('2026-12-09T09:00:00Z'); // the due day: a reminder, to the owner or (none) to the on-call of step 1
    expect(await race()).toBe(2);
    expect((await messages([owned, unowned])).map(({ incident, person }) => [incident, person])).toEqual(
      [
        [owned, owner],
        [unowned, onCall],
      ].sort(),
    );
    expect((await messages([owned]))[0].subject).toMatch(/RCA due today, 2026-12-09$/);

    clock.set('2026-12-10T09:00:00Z'); // overdue
    expect(await race()).toBe(2);
    const thursday = (await messages([owned, unowned])).filter((message) => message.day === '2026-12-10');
    expect(thursday.map(({ incident, person }) => [incident, person]).sort()).toEqual(
      [
        [owned, owner],
        [owned, onCall],
        [unowned, onCall],
        [unowned, next],
      ].sort(),
    );
    const escalation = thursday.find((message) => message.incident === owned && message.person === onCall);
    expect(escalation?.subject).toMatch(/RCA overdue by 1 day \(due 2026-12-09\)$/);
    expect(escalation?.body).toContain('It is escalated to you as it is overdue.');
    expect(thursday.find((message) => message.incident === owned && message.person === owner)?.body).not.toContain('escalated to you');
    const escalated = (await timeline([owned])).filter((entry) => entry.kind === 'REVIEW_ESCALATED');
    expect(escalated).toHaveLength(1);
    expect(escalated[0].message).toBe('RCA overdue by 1 day (due 2026-12-09): escalated to On call; reminded Owner');
    expect(escalated[0].data).toMatchObject({ day: '2026-12-10', document: 'RCA', dueAt: DUE_AT, personIds: [owner, onCall], escalatedPersonIds: [onCall] });
    expect(await db.query(`SELECT stage, person_ids FROM review_reminder WHERE incident_id = $1 AND day = '2026-12-10'`, [owned])).toEqual([{ stage: 'ESCALATION', person_ids: [owner, onCall] }]);

    await a.reviewSettings.update({ reviewerId: reviewer });
    clock.set('2026-12-11T09:00:00Z');
    expect(await race()).toBe(2);
    const friday = (await messages([owned, unowned])).filter((message) => message.day === '2026-12-11');
    expect(friday.map(({ incident, person }) => [incident, person]).sort()).toEqual(
      [
        [owned, owner],
        [owned, reviewer],
        [unowned, onCall],
        [unowned, reviewer],
      ].sort(),
    );
    await a.reviewSettings.update({ reviewerId: null });
  });

  it('a review opened before the follow-up existed is followed up from its first change', async () => {
    clock.set(RESOLVED);
    const incident = await a.incidents.declare(actor, { title: 'Legacy', serviceId, priority: Priority.P3, ownerId: owner });
    // Resolved as a false positive, so no IRF opens by itself: this one's review row is the fixture below.
    await a.incidents.resolve(actor, incident.id, Resolution.FALSE_POSITIVE);
    await db.query(`INSERT INTO incident_review (incident_id, status, origin, opened_at, updated_at) VALUES ($1, 'IN_REVIEW', 'INTERNAL', $2, $2)`, [incident.id, clock.now()]);
    await db.transaction((manager) => a.reviewFollowups.changed(manager, incident.id));
    expect(await db.query(`SELECT document, due_at, met_at FROM review_followup WHERE incident_id = $1`, [incident.id])).toEqual([{ document: 'RCA', due_at: new Date(DUE_AT), met_at: null }]);
  });

  async function numberOf(incidentId: string): Promise<number> {
    return (await db.query(`SELECT number FROM incident WHERE id = $1`, [incidentId]))[0].number;
  }
});
