import 'reflect-metadata';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { RotationUnit } from '../../src/schema/schedule.entity';
import { ChannelKind } from '../../src/shared/enums';
import { createServices, type Services } from '../../src/services';
import { ManualClock } from '../../src/shared/clock';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const HOUR = 3_600_000;

/** The handoff state machine on its own: what is announced, at which instant, when the job ran late or never. */
describe('HandoffService (PostgreSQL)', () => {
  const clock = new ManualClock('2026-05-04T07:00:00Z');
  let database: TestDatabase;
  let db: DataSource;
  let services: Services;
  const people: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({ url: database.url, poolSize: 4 });
    await db.initialize();
    services = createServices(db, clock, { log: pino({ level: 'silent' }), publicBaseUrl: 'http://localhost' });
    for (const name of ['Ana', 'Bruno', 'Carla']) people[name] = (await services.catalog.createPerson({ name, email: `${name.toLowerCase()}@example.com` })).id;
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  /** Ana, Bruno and Carla in 8-hour shifts from 08:00 UTC. */
  const threeShifts = (name: string) =>
    services.schedules.create({
      name,
      timeZone: 'UTC',
      layers: [{ participants: [people.Ana, people.Bruno, people.Carla], rotation: { unit: RotationUnit.HOURS, length: 8 }, start: '2026-05-01T08:00' }],
    });

  const announced = async (scheduleId: string) =>
    ((await db.query(
      `SELECT change::jsonb->>'at' AS at, change::jsonb->'primary'->>0 AS primary FROM change_log
        WHERE change::jsonb->>'topic' = 'ON_CALL_CHANGED' AND change::jsonb->>'scheduleId' = $1 ORDER BY seq`,
      [scheduleId],
    )) as Array<{ at: string; primary: string | null }>).map(({ at, primary }) => [at, Object.keys(people).find((name) => people[name] === primary) ?? null]);

  it('stores who is on call and the next handoff when a schedule is created, announcing nothing yet', async () => {
    clock.set('2026-05-04T07:00:00Z');
    const schedule = await threeShifts('created');
    expect(await services.handoffs.stateOf(schedule.id)).toEqual({
      scheduleId: schedule.id,
      onCall: { primary: [people.Carla], backups: [] },
      onCallSince: new Date('2026-05-04T07:00:00Z'),
      nextHandoffAt: new Date('2026-05-04T08:00:00Z'),
    });
    expect(await announced(schedule.id)).toEqual([]);
  });

  it('announces each handoff it missed by less than a day at its own instant, in order', async () => {
    clock.set('2026-05-05T07:00:00Z');
    const schedule = await threeShifts('late job');
    clock.set('2026-05-05T23:30:00Z');
    while ((await services.handoffs.runDue()) > 0);
    expect(await announced(schedule.id)).toEqual([
      ['2026-05-05T08:00:00.000Z', 'Ana'],
      ['2026-05-05T16:00:00.000Z', 'Bruno'],
    ]);
    expect((await services.handoffs.stateOf(schedule.id))?.nextHandoffAt).toEqual(new Date('2026-05-06T00:00:00Z'));
  });

  it('announces one change at the current instant for handoffs missed by more than a day', async () => {
    clock.set('2026-05-07T07:00:00Z');
    const schedule = await threeShifts('job down for days');
    clock.set('2026-05-10T09:00:00Z');
    while ((await services.handoffs.runDue()) > 0);
    expect(await announced(schedule.id)).toEqual([['2026-05-10T09:00:00.000Z', 'Ana']]);
  });

  it('fills in a schedule that predates the table (no state yet) without announcing it', async () => {
    clock.set('2026-05-11T07:00:00Z');
    const schedule = await threeShifts('older than the table');
    await db.query(`UPDATE schedule_handoff_state SET primary_ids = NULL, backup_ids = NULL, on_call_since = NULL, next_handoff_at = '2026-01-01T00:00:00Z' WHERE schedule_id = $1`, [schedule.id]);
    clock.set('2026-05-11T07:30:00Z');
    while ((await services.handoffs.runDue()) > 0);
    expect(await services.handoffs.stateOf(schedule.id)).toMatchObject({ onCall: { primary: [people.Carla] }, nextHandoffAt: new Date('2026-05-11T08:00:00Z') });
    expect(await announced(schedule.id)).toEqual([]);
  });

  it("tells whoever's shift ends and starts through their first immediate notification rule, else by e-mail; nobody for a gap", async () => {
    const sms = await services.paging.addContactMethod({ personId: people.Ana, channel: ChannelKind.SMS, address: '+351910000001' });
    await services.paging.addNotificationRule({ contactMethodId: sms.id, delayMinutes: 0 });
    const later = await services.paging.addContactMethod({ personId: people.Bruno, channel: ChannelKind.SMS, address: '+351910000002' });
    await services.paging.addNotificationRule({ contactMethodId: later.id, delayMinutes: 5 });
    clock.set('2026-05-13T07:00:00Z');
    const schedule = await threeShifts('told');
    const daytime = await services.schedules.create({
      name: 'daytime',
      timeZone: 'UTC',
      layers: [{ participants: [people.Carla], rotation: { unit: RotationUnit.DAYS, length: 1 }, start: '2026-05-01T00:00', restrictions: [{ start: '09:00', end: '17:00' }] }],
    });
    clock.set('2026-05-13T17:00:00Z');
    while ((await services.handoffs.runDue()) > 0);
    const notices = async (scheduleId: string) =>
      ((await db.query(`SELECT person_id, channel, address, data->>'kind' AS kind, data->>'at' AS at FROM notification WHERE data->>'scheduleId' = $1 ORDER BY data->>'at', data->>'kind'`, [scheduleId])) as Array<{
        person_id: string;
        channel: string;
        address: string;
        kind: string;
        at: string;
      }>).map((row) => [row.at, row.kind, Object.keys(people).find((name) => people[name] === row.person_id), row.channel, row.address]);
    expect(await notices(schedule.id)).toEqual([
      ['2026-05-13T08:00:00.000Z', 'end', 'Carla', 'EMAIL', 'carla@example.com'],
      ['2026-05-13T08:00:00.000Z', 'start', 'Ana', 'SMS', '+351910000001'],
      ['2026-05-13T16:00:00.000Z', 'end', 'Ana', 'SMS', '+351910000001'],
      ['2026-05-13T16:00:00.000Z', 'start', 'Bruno', 'EMAIL', 'bruno@example.com'],
    ]);
    expect(await notices(daytime.id)).toEqual([
      ['2026-05-13T09:00:00.000Z', 'start', 'Carla', 'EMAIL', 'carla@example.com'],
      ['2026-05-13T17:00:00.000Z', 'end', 'Carla', 'EMAIL', 'carla@example.com'],
    ]);
  });

  it('looks again after the look-ahead when nobody else ever takes over', async () => {
    clock.set('2026-05-12T07:00:00Z');
    const alone = await services.schedules.create({ name: 'alone', timeZone: 'UTC', layers: [{ participants: [people.Ana], rotation: { unit: RotationUnit.WEEKS, length: 1 }, start: '2026-05-01T08:00' }] });
    expect((await services.handoffs.stateOf(alone.id))?.nextHandoffAt).toEqual(new Date(clock.now().getTime() + 14 * 24 * HOUR));
    clock.advance(14 * 24 * HOUR);
    while ((await services.handoffs.runDue()) > 0);
    expect((await services.handoffs.stateOf(alone.id))?.nextHandoffAt).toEqual(new Date(clock.now().getTime() + 14 * 24 * HOUR));
    expect(await announced(alone.id)).toEqual([]);
  });
});
