import 'reflect-metadata';
import { ActorType, Priority, ReviewOrigin, Role, Resolution } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const CONFIGURED_REVIEWER = '6f1f3c1e-9a43-4c3e-8a55-0d6c1b2e7a10';
const SETTINGS = `{ reviewSettings { dueBusinessDays reviewer { id name } } }`;
const UPDATE = `mutation($input: UpdateReviewSettingsInput!) { updateReviewSettings(input: $input) { settings { dueBusinessDays reviewer { id name } } } }`;
const actor: Actor = { type: ActorType.TOKEN, id: null, name: 'test', role: Role.ADMIN };

describe('review settings and the follow-up job of a running app', () => {
  const clock = new ManualClock('2026-12-03T15:00:00Z');
  let t: TestApp;
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      config: {
        JOBS_ENABLED: 'false',
        REVIEW_DUE_BUSINESS_DAYS: '4',
        REVIEW_REVIEWER_ID: CONFIGURED_REVIEWER,
        REVIEW_REMINDER_HOUR: '14',
        MAINTENANCE_CALENDAR_ZONE: 'Europe/Lisbon',
      },
    });
    for (const role of [Role.VIEWER, Role.RESPONDER, Role.ANALYST, Role.ADMIN]) tokens[role] = await t.tokenFor(role);
  });
  afterAll(() => t.close());

  it('starts from the configuration; a configured reviewer who is nobody reads as none until the person exists', async () => {
    expect((await t.gql(SETTINGS, {}, tokens.VIEWER)).data).toEqual({ reviewSettings: { dueBusinessDays: 4, reviewer: null } });
    await t.app.db.query(`INSERT INTO person (id, name, email) VALUES ($1, 'Configured Reviewer', 'configured.reviewer@example.com')`, [CONFIGURED_REVIEWER]);
    expect((await t.gql(SETTINGS, {}, tokens.VIEWER)).data).toEqual({ reviewSettings: { dueBusinessDays: 4, reviewer: { id: CONFIGURED_REVIEWER, name: 'Configured Reviewer' } } });
  });

  it.each([Role.VIEWER, Role.RESPONDER, Role.ANALYST])('updateReviewSettings is FORBIDDEN to a %s token and changes nothing', async (role) => {
    const result = await t.gql(UPDATE, { input: { dueBusinessDays: 9 } }, tokens[role]);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.app.services.reviewSettings.current()).dueBusinessDays).toBe(4);
  });

  it.each([Role.VIEWER, Role.RESPONDER, Role.ANALYST, Role.ADMIN])('reviewSettings is readable with a %s token', async (role) => {
    expect((await t.gql(SETTINGS, {}, tokens[role])).data?.reviewSettings).toMatchObject({ dueBusinessDays: expect.any(Number) });
  });

  it('an ADMIN changes the days and the reviewer, and clears the reviewer with null; fields not given stay', async () => {
    const reviewer = await t.app.services.catalog.createPerson({ name: 'Rui Reviewer', email: 'rui@example.com' });
    const changed = await t.gql(UPDATE, { input: { dueBusinessDays: 6, reviewerId: reviewer.id } }, tokens.ADMIN);
    expect(changed.data).toEqual({ updateReviewSettings: { settings: { dueBusinessDays: 6, reviewer: { id: reviewer.id, name: 'Rui Reviewer' } } } });
    expect((await t.gql(UPDATE, { input: { dueBusinessDays: 5 } }, tokens.ADMIN)).data).toEqual({
      updateReviewSettings: { settings: { dueBusinessDays: 5, reviewer: { id: reviewer.id, name: 'Rui Reviewer' } } },
    });
    expect((await t.gql(UPDATE, { input: { reviewerId: null } }, tokens.ADMIN)).data).toEqual({ updateReviewSettings: { settings: { dueBusinessDays: 5, reviewer: null } } });
    expect((await t.gql(SETTINGS, {}, tokens.VIEWER)).data).toEqual({ reviewSettings: { dueBusinessDays: 5, reviewer: null } });
  });

  it.each([
    [{ dueBusinessDays: 0 }, 'dueBusinessDays'],
    [{ dueBusinessDays: 61 }, 'dueBusinessDays'],
    [{ reviewerId: 'not-a-uuid' }, 'reviewerId'],
    [{ reviewerId: '00000000-0000-4000-8000-00000000dead' }, 'reviewerId'],
  ])('%j is BAD_USER_INPUT naming %s, changing nothing', async (input, field) => {
    const before = await t.app.services.reviewSettings.current();
    const result = await t.gql(UPDATE, { input }, tokens.ADMIN);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await t.app.services.reviewSettings.current()).toEqual(before);
  });

  it('the review-followup job reminds from the configured local hour, once a day', async () => {
    const owner = await t.app.services.catalog.createPerson({ name: 'Olga Owner', email: 'olga@example.com' });
    const service = await t.app.services.catalog.createService({ name: 'ledger', slug: 'ledger' });
    const incident = await t.app.services.incidents.declare(actor, { title: 'Ledger lag', serviceId: service.id, priority: Priority.P3, ownerId: owner.id });
    // Resolved as a false positive, so no IRF opens by itself: this one's review row is the fixture below.
    await t.app.services.incidents.resolve(actor, incident.id, Resolution.FALSE_POSITIVE);
    await t.app.db.transaction(async (manager) => {
      await manager.query(`INSERT INTO incident_review (incident_id, status, origin, opened_at, updated_at) VALUES ($1, 'DRAFT', 'EXTERNAL', $2, $2)`, [incident.id, clock.now()]);
      await t.app.services.reviewFollowups.opened(manager, { incidentId: incident.id, origin: ReviewOrigin.EXTERNAL, resolvedAt: clock.now() });
    });
    // Five business days (the setting now) after Thursday 3 December: 4, 7, 8, 9, 10 (no holiday region: 8 December counts).
    expect(await t.app.db.query(`SELECT document, due_at FROM review_followup WHERE incident_id = $1`, [incident.id])).toEqual([
      { document: 'IRF', due_at: new Date('2026-12-11T00:00:00Z') },
    ]);
    const reminders = async () => t.app.db.query(`SELECT day::text, stage, person_ids FROM review_reminder WHERE incident_id = $1 ORDER BY day`, [incident.id]);

    clock.set('2026-12-04T13:59:00Z');
    await t.app.scheduler.trigger('review-followup');
    expect(await reminders()).toEqual([]);
    clock.set('2026-12-04T14:00:00Z');
    await t.app.scheduler.trigger('review-followup');
    await t.app.scheduler.trigger('review-followup');
    expect(await reminders()).toEqual([{ day: '2026-12-04', stage: 'REMINDER', person_ids: [owner.id] }]);
    const [notice] = await t.app.db.query(`SELECT person_id, subject, body FROM notification WHERE idempotency_key = $1`, [`rca-reminder:${incident.id}:2026-12-04:${owner.id}`]);
    expect(notice).toMatchObject({ person_id: owner.id, subject: `[P3] #${incident.number} approved IRF due 2026-12-10, 4 business days left` });
    expect(notice.body).toContain('approveReview');
  });
});
