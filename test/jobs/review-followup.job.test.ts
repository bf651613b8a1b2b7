import 'reflect-metadata';
import { ActorType, Priority, ReviewOrigin, Role, Resolution } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const INCIDENTS = 12;
const actor: Actor = { type: ActorType.TOKEN, id: null, name: 'test', role: Role.ADMIN };

/** Two servers of one deployment (own pools, schedulers and jobs, one database) run the review-followup job at once. */
describe('review-followup job on two servers', () => {
  const clock = new ManualClock('2026-12-01T12:00:00Z');
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    one = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    two = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' }, sameDatabaseAs: one });
  });
  afterAll(async () => {
    await two.close();
    await one.close();
  });

  const count = async (sql: string) => Number((await one.app.db.query(sql))[0].count);
  const bothRun = () => Promise.all([one.app.scheduler.trigger('review-followup'), two.app.scheduler.trigger('review-followup')]);

  it('decides each incident once a day: one reminder row, one message, one timeline entry', async () => {
    const owner = await one.app.services.catalog.createPerson({ name: 'Owner', email: 'owner@example.com' });
    const service = await one.app.services.catalog.createService({ name: 'api', slug: 'api' });
    for (let index = 0; index < INCIDENTS; index += 1) {
      const incident = await one.app.services.incidents.declare(actor, { title: `Incident ${index}`, serviceId: service.id, priority: Priority.P2, ownerId: owner.id });
      // Resolved as a false positive, so no IRF opens by itself: this one's review row is the fixture below.
      await one.app.services.incidents.resolve(actor, incident.id, Resolution.FALSE_POSITIVE);
      await one.app.db.transaction(async (manager) => {
        await manager.query(`INSERT INTO incident_review (incident_id, status, origin, opened_at, updated_at) VALUES ($1, 'DRAFT', 'INTERNAL', $2, $2)`, [incident.id, clock.now()]);
        await one.app.services.reviewFollowups.opened(manager, { incidentId: incident.id, origin: ReviewOrigin.INTERNAL, resolvedAt: clock.now() });
      });
    }

    clock.set('2026-12-02T09:00:00Z');
    await bothRun();
    await bothRun();
    expect(await count(`SELECT count(*) FROM review_reminder WHERE day = '2026-12-02'`)).toBe(INCIDENTS);
    expect(await count(`SELECT count(*) FROM notification WHERE idempotency_key LIKE 'rca-reminder:%:2026-12-02:%'`)).toBe(INCIDENTS);
    expect(await count(`SELECT count(DISTINCT incident_id) FROM timeline_event WHERE kind = 'REVIEW_REMINDER'`)).toBe(INCIDENTS);
    expect(await count(`SELECT count(*) FROM timeline_event WHERE kind = 'REVIEW_REMINDER'`)).toBe(INCIDENTS);

    clock.set('2026-12-03T09:00:00Z');
    await bothRun();
    expect(await count(`SELECT count(*) FROM review_reminder`)).toBe(2 * INCIDENTS);
    expect(await count(`SELECT count(*) FROM timeline_event WHERE kind = 'REVIEW_REMINDER'`)).toBe(2 * INCIDENTS);
  });
});
