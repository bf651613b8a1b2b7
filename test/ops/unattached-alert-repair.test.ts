import { Client } from 'pg';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers/http-receiver';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { alertmanagerGroup, endBackendsOtherThan, killHard, pagedService, postWebhook, startInstance, waitFor, type Instance } from './support/instances';
import { killStarted } from './support/processes';

/**
 * A kill -9 between the ingest's upsert (committed on its own) and its attach statement leaves firing alerts without an
 * incident. The kill is made to land exactly there: the test holds a lock the attach statement needs and the upsert does
 * not (SHARE on timeline_event, which the attach writes its event to) until the alert rows exist, then kills the server.
 */
jest.setTimeout(120_000);

const REPAIR_TICK_SECONDS = 1;
const REPAIR_AGE_SECONDS = 2;
const settings = {
  WEBHOOK_SIGNING_SECRET: 'repair-test-signing-secret',
  ALERT_REPAIR_SCHEDULE: `*/${REPAIR_TICK_SECONDS} * * * * *`,
  ALERT_REPAIR_AGE_SECONDS: String(REPAIR_AGE_SECONDS),
  DELIVERY_SCHEDULE: '*/1 * * * * *',
};
const NEW_GROUP_ALERTS = 30;

describe('alerts a crash left without an incident', () => {
  let database: TestDatabase;
  let db: Client;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    receiver = await startHttpReceiver({ defaultResponse: { status: 204 } });
  });
  afterAll(async () => {
    killStarted();
    await db.end();
    await receiver.close();
    await database.drop();
  });

  const count = async (sql: string, params: unknown[]) => Number((await db.query(sql, params)).rows[0].count);

  it('are attached by the repair job of the surviving instances exactly as the pipeline would, once, and paged', async () => {
    const crashing = await startInstance(database.url, settings);
    const integration = await pagedService(crashing, 'repair', receiver.url);
    // An open incident on group "known" (P3), so one lost attach is to an existing incident, outranking it.
    const known = await postWebhook(crashing, integration, alertmanagerGroup('known', [{ fingerprint: 'known-1', severity: 'warning', summary: 'Queue slow' }]));
    expect(known.status).toBe(202);
    const [existingIncidentId] = ((await known.json()) as { incidentIds: string[] }).incidentIds;
    await waitFor(
      'the first page recorded as sent',
      async () => ((await count(`SELECT count(*) FROM notification WHERE incident_id = $1 AND status = 'SENT'`, [existingIncidentId])) === 1 ? true : undefined),
      10_000,
    );

    await db.query('BEGIN');
    await db.query('LOCK TABLE timeline_event IN SHARE MODE');
    const answers = [
      postWebhook(crashing, integration, alertmanagerGroup('known', [{ fingerprint: 'known-2', severity: 'critical', summary: 'Queue stalled' }])),
      postWebhook(
        crashing,
        integration,
        alertmanagerGroup('new', Array.from({ length: NEW_GROUP_ALERTS }, (_, index) => ({ fingerprint: `new-${index}`, severity: 'critical' as const, summary: `Disk ${index} full` }))),
      ),
    ].map((answer) => answer.then((response) => response.status, () => 'no answer'));
    await waitFor(
      'the upserted alerts',
      async () => ((await count(`SELECT count(*) FROM alert WHERE incident_id IS NULL AND status = 'FIRING'`, [])) === NEW_GROUP_ALERTS + 1 ? true : undefined),
      20_000,
    );
    await killHard(crashing);
    await endBackendsOtherThan(db);
    await db.query('ROLLBACK');
    // Nobody answered these deliveries 202: a vendor would retry them, but the lost attach must not depend on it.
    expect(await Promise.all(answers)).toEqual(['no answer', 'no answer']);
    expect(await count(`SELECT count(*) FROM alert WHERE incident_id IS NULL AND status = 'FIRING'`, [])).toBe(NEW_GROUP_ALERTS + 1);

    const survivors: Instance[] = await Promise.all([startInstance(database.url, settings), startInstance(database.url, settings)]);
    await waitFor(
      'every orphaned alert attached',
      async () => ((await count(`SELECT count(*) FROM alert WHERE incident_id IS NULL AND status = 'FIRING'`, [])) === 0 ? true : undefined),
      (REPAIR_AGE_SECONDS + 3 * REPAIR_TICK_SECONDS) * 1000,
    );

    // The alert of the known group joined its open incident and raised it to the alert's priority.
    const { rows: knownRows } = await db.query(`SELECT a.incident_id, i.priority FROM alert a JOIN incident i ON i.id = a.incident_id WHERE a.fingerprint = 'known-2'`);
    expect(knownRows).toEqual([{ incident_id: existingIncidentId, priority: 'P1' }]);
    const { rows: knownEvents } = await db.query(`SELECT kind, message, data FROM timeline_event WHERE incident_id = $1 ORDER BY at, id`, [existingIncidentId]);
    expect(knownEvents.filter((event) => event.kind === 'PRIORITY_RAISED')).toEqual([expect.objectContaining({ message: 'priority raised from P3 to P1 by a new alert' })]);
    const knownAttached = knownEvents.filter((event) => event.kind === 'ALERTS_ATTACHED').flatMap((event) => event.data.alertIds);
    const { rows: knownIds } = await db.query(`SELECT id FROM alert WHERE fingerprint IN ('known-1', 'known-2') ORDER BY fingerprint`);
    expect(knownAttached.sort()).toEqual(knownIds.map((row) => row.id).sort());

    // The new group got exactly one incident, holding every alert once, with its escalation started and its page sent once.
    const { rows: opened } = await db.query(`SELECT id, priority, title, status, source FROM incident WHERE group_key = 'new'`);
    expect(opened).toEqual([{ id: expect.any(String), priority: 'P1', title: expect.stringMatching(/^Disk \d+ full/), status: 'TRIGGERED', source: 'MONITORING' }]);
    const incidentId = opened[0].id;
    expect(await count(`SELECT count(*) FROM alert WHERE group_key = 'new' AND incident_id = $1`, [incidentId])).toBe(NEW_GROUP_ALERTS);
    const { rows: events } = await db.query(`SELECT kind, actor_type, data FROM timeline_event WHERE incident_id = $1 ORDER BY at, id`, [incidentId]);
    const attachedIds = events.filter((event) => event.kind === 'ALERTS_ATTACHED').flatMap((event) => event.data.alertIds);
    expect(attachedIds).toHaveLength(NEW_GROUP_ALERTS);
    expect(new Set(attachedIds).size).toBe(NEW_GROUP_ALERTS);
    expect(events.find((event) => event.kind === 'INCIDENT_DECLARED')).toMatchObject({ actor_type: 'INTEGRATION' });
    expect(await count(`SELECT count(*) FROM incident_escalation WHERE incident_id = $1 AND state = 'ACTIVE'`, [incidentId])).toBe(1);
    await waitFor(
      'the new incident’s page sent',
      async () => ((await count(`SELECT count(*) FROM notification WHERE incident_id = $1 AND status = 'SENT'`, [incidentId])) === 1 ? true : undefined),
      10_000,
    );
    expect(await count(`SELECT count(*) FROM notification WHERE incident_id = $1`, [incidentId])).toBe(1);
    const pages = receiver.requests.filter((request) => JSON.parse(request.rawBody).data?.incidentId === incidentId);
    expect(pages).toHaveLength(1);

    // Both survivors ran the job; together they repaired each alert once, and said so.
    const repaired = await Promise.all(survivors.map(async ({ url }) => metricValue(await (await fetch(`${url}/metrics`)).text(), 'incident_bridge_alerts_repaired_total')));
    expect(repaired.reduce((sum, value) => sum + value, 0)).toBe(NEW_GROUP_ALERTS + 1);
    const logged = survivors.flatMap(({ server }) => server.lines().filter((line) => line.includes('attached alerts left without an incident')));
    expect(logged.map((line) => JSON.parse(line).alerts).reduce((sum: number, value: number) => sum + value, 0)).toBe(NEW_GROUP_ALERTS + 1);
  });
});

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}
