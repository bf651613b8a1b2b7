import { changesAfter, latestChange, pruneChangeLog } from '../../src/db/change-log';
import { changeLogRetentionJob } from '../../src/jobs/change-log-retention.job';
import { startTestApp, type TestApp } from '../support/test-app';

describe('change_log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  const emit = (incidentId: string) =>
    t.app.db.query('SELECT ib_emit_change($1) AS seq', [JSON.stringify({ topic: 'INCIDENT_UPDATED', incidentId, serviceId: 's', priority: 'P4', status: 'TRIGGERED' })]);

  it('numbers every change, and replays those after a number (with the ones written shortly before it)', async () => {
    const before = await latestChange(t.app.db);
    const [[{ seq: first }], [{ seq: second }]] = [await emit('a'), await emit('b')];
    expect(Number(second)).toBe(Number(first) + 1);
    const replay = await changesAfter(t.app.db, Number(first), 100);
    expect(replay.complete).toBe(true);
    expect(replay.changes.map((change) => change.seq)).toEqual(expect.arrayContaining([Number(first), Number(second)]));
    expect(replay.changes.every((change) => change.seq! > before)).toBe(true);
    // The limit counts the changes after the cursor, not the slack before it (all of this fresh log is slack for `second`).
    const [{ slack }] = await t.app.db.query('SELECT count(*)::int AS slack FROM change_log WHERE seq <= $1', [second]);
    await emit('c');
    expect((await changesAfter(t.app.db, Number(second), slack)).complete).toBe(true);
    expect((await changesAfter(t.app.db, Number(first), 1)).complete).toBe(false);
  });

  it('is pruned past its retention by the job, in batches, and a replay from a pruned number is incomplete', async () => {
    const [{ seq: old }] = await emit('old');
    await t.app.db.query(`UPDATE change_log SET created_at = now() - interval '2 hours' WHERE seq <= $1`, [old]);
    const [{ seq: fresh }] = await emit('fresh');
    const job = changeLogRetentionJob(() => pruneChangeLog(t.app.db, new Date(Date.now() - 60 * 60_000), 2));
    expect(await job.run()).toBeGreaterThanOrEqual(3);
    const [{ remaining }] = await t.app.db.query('SELECT count(*)::int AS remaining FROM change_log');
    expect(remaining).toBe(1);
    expect((await changesAfter(t.app.db, Number(old), 100)).complete).toBe(false);
    expect((await changesAfter(t.app.db, Number(fresh), 100)).complete).toBe(true);
  });
});
