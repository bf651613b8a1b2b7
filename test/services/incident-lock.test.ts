import { ActorType, Priority } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { startTestApp, type TestApp } from '../support/test-app';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };

/**
 * The lock transitions take on an incident serialises them, but must not stop other transactions from writing rows
 * that reference it: the escalation runner holds an escalation row and then inserts a timeline event (its foreign key
 * takes FOR KEY SHARE on the incident), while an acknowledgement holds the incident and then stops that escalation —
 * with FOR UPDATE on the incident the two deadlocked.
 */
describe('the incident row lock', () => {
  let t: TestApp;
  let incidentId: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    const service = await t.app.services.catalog.createService({ name: 'Lock', slug: 'lock' });
    incidentId = (await t.app.services.incidents.declare(system, { title: 'locked', serviceId: service.id, priority: Priority.P3 })).id;
  });
  afterAll(() => t.close());

  it('lets another transaction insert a timeline event of the locked incident, and still serialises transitions', async () => {
    const holder = t.app.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    const other = t.app.db.createQueryRunner();
    await other.connect();
    try {
      await t.app.services.incidents.lock(holder.manager, incidentId);
      await other.query(`SET statement_timeout = 2000`);
      // A reference to the incident (what the runner's timeline insert does) goes through at once…
      await other.query(
        `INSERT INTO timeline_event (incident_id, kind, at, actor_type, actor_id, actor_name, message, data) VALUES ($1, 'TEST', now(), 'SYSTEM', NULL, 'test', 'referenced while locked', '{}')`,
        [incidentId],
      );
      // …while a second transition's lock still waits for the first.
      await other.query('BEGIN');
      await expect(other.query(`SELECT id FROM incident WHERE id = $1 FOR NO KEY UPDATE NOWAIT`, [incidentId])).rejects.toThrow(/could not obtain lock/);
      await other.query('ROLLBACK');
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
      await other.release();
    }
  });
});
