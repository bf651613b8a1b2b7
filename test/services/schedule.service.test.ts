import { RotationUnit } from '../../src/schema/schedule.entity';
import type { OnCallService } from '../../src/services/on-call.service';
import type { LayerValues, ScheduleService } from '../../src/services/schedule.service';
import type { ScheduleStore } from '../../src/services/schedule.store';
import { ManualClock } from '../../src/shared/clock';
import { DomainError, ErrorCode } from '../../src/shared/domain-error';
import { startTestApp, type TestApp } from '../support/test-app';

const HOUR = 3_600_000;

function dailyLayer(participants: string[], fields: Partial<LayerValues> = {}): LayerValues {
  return { participants, rotation: { unit: RotationUnit.DAYS, length: 1 }, start: '2026-03-01T09:00', ...fields };
}

async function expectBadInput(promise: Promise<unknown>, field: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field });
}

describe('ScheduleService (PostgreSQL)', () => {
  const clock = new ManualClock('2026-04-01T00:00:00Z');
  let t: TestApp;
  let schedules: ScheduleService;
  let store: ScheduleStore;
  let onCall: OnCallService;
  const people: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ clock });
    schedules = t.app.services.schedules;
    store = t.app.services.scheduleStore;
    onCall = t.app.services.onCall;
    for (const name of ['Ana', 'Bruno', 'Carla', 'Dora', 'Eva']) {
      people[name] = (await t.app.services.catalog.createPerson({ name, email: `${name.toLowerCase()}@example.com` })).id;
    }
  });
  afterAll(() => t.close());

  describe('storage', () => {
    it('stores layers with participants in order, restrictions and backups, and loads the pure definition with Dates', async () => {
      const created = await schedules.create({
        name: '  Payments primary ',
        timeZone: 'Europe/Lisbon',
        layers: [
          dailyLayer([people.Carla, people.Ana, people.Bruno], { name: 'Weekdays', priority: 1, restrictions: [{ start: '08:00', end: '20:00' }] }),
          dailyLayer([people.Dora], { rotation: { unit: RotationUnit.WEEKS, length: 2 } }),
        ],
        backupPersonIds: [people.Eva, people.Ana],
      });
      expect(created).toMatchObject({ name: 'Payments primary', timeZone: 'Europe/Lisbon', backupPersonIds: [people.Eva, people.Ana] });
      expect(created.layers.map((layer) => [layer.name, layer.priority, layer.position, layer.participantIds])).toEqual([
        ['Weekdays', 1, 0, [people.Carla, people.Ana, people.Bruno]],
        ['Layer 2', 0, 1, [people.Dora]],
      ]);

      await schedules.createOverride({ scheduleId: created.id, personId: people.Bruno, start: new Date('2026-04-02T00:00Z'), end: new Date('2026-04-03T00:00Z') });
      const definition = await store.definition(created.id);
      expect(definition).toEqual({
        timeZone: 'Europe/Lisbon',
        layers: [
          {
            id: created.layers[0].id,
            name: 'Weekdays',
            priority: 1,
            participants: [people.Carla, people.Ana, people.Bruno],
            rotation: { unit: 'days', length: 1 },
            start: '2026-03-01T09:00',
            restrictions: [{ start: '08:00', end: '20:00' }],
          },
          {
            id: created.layers[1].id,
            name: 'Layer 2',
            priority: 0,
            participants: [people.Dora],
            rotation: { unit: 'weeks', length: 2 },
            start: '2026-03-01T09:00',
            restrictions: [],
          },
        ],
        overrides: [{ id: expect.any(String), personId: people.Bruno, start: new Date('2026-04-02T00:00Z'), end: new Date('2026-04-03T00:00Z'), createdAt: clock.now() }],
        backups: [people.Eva, people.Ana],
      });
      expect(definition.overrides[0].start).toBeInstanceOf(Date);
    });

    it('keeps a person who is still in a rota, a backup list or an override (ON DELETE RESTRICT)', async () => {
      const schedule = await schedules.create({ name: 'Restrict', timeZone: 'UTC', layers: [dailyLayer([people.Ana])] });
      await expect(t.app.db.query(`DELETE FROM person WHERE id = $1`, [people.Ana])).rejects.toThrow(/foreign key/);
      await schedules.remove(schedule.id);
    });

    it('cascades a deleted schedule to its layers, participants, backups and overrides', async () => {
      const schedule = await schedules.create({ name: 'Doomed', timeZone: 'UTC', layers: [dailyLayer([people.Ana])], backupPersonIds: [people.Bruno] });
      await schedules.createOverride({ scheduleId: schedule.id, personId: people.Carla, start: new Date('2026-05-01T00:00Z'), end: new Date('2026-05-02T00:00Z') });
      expect(await schedules.remove(schedule.id)).toBe(schedule.id);
      const [counts] = await t.app.db.query(
        `SELECT (SELECT count(*)::int FROM schedule_layer WHERE schedule_id = $1) AS layers,
                (SELECT count(*)::int FROM schedule_backup WHERE schedule_id = $1) AS backups,
                (SELECT count(*)::int FROM schedule_override WHERE schedule_id = $1) AS overrides,
                (SELECT count(*)::int FROM schedule_layer_participant p WHERE NOT EXISTS (SELECT 1 FROM schedule_layer l WHERE l.id = p.layer_id)) AS orphans`,
        [schedule.id],
      );
      expect(counts).toEqual({ layers: 0, backups: 0, overrides: 0, orphans: 0 });
      await expect(store.get(schedule.id)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    });

    it('lists schedules by name with keyset pagination', async () => {
      const names = ['zz-b', 'zz-a', 'zz-c'];
      for (const name of names) await schedules.create({ name, timeZone: 'UTC', layers: [dailyLayer([people.Ana])] });
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await store.list({ first: 2, after });
        seen.push(...page.nodes.map((node) => node.name));
        expect(page.nodes.every((node) => Array.isArray(node.layers) && node.layers[0].participantIds.length > 0)).toBe(true);
        if (!page.hasNextPage) break;
        after = page.cursors.at(-1) ?? null;
      }
      expect(seen.filter((name) => name.startsWith('zz-'))).toEqual(['zz-a', 'zz-b', 'zz-c']);
      expect(new Set(seen).size).toBe(seen.length);
    });
  });

  describe('resolution', () => {
    it('answers whoIsOnCall with person ids, at now by default, and inside a caller transaction', async () => {
      const schedule = await schedules.create({
        name: 'Daily',
        timeZone: 'UTC',
        layers: [dailyLayer([people.Ana, people.Bruno], { start: '2026-03-30T09:00' })],
        backupPersonIds: [people.Carla, people.Ana],
      });
      // 2026-04-01T00:00Z: the 2nd shift (2026-03-31T09:00 – 2026-04-01T09:00) is Bruno's.
      expect(await onCall.whoIsOnCall(schedule.id)).toEqual({ primary: [people.Bruno], backups: [people.Carla, people.Ana] });
      expect(await onCall.whoIsOnCall(schedule.id, new Date('2026-04-01T09:00Z'))).toEqual({ primary: [people.Ana], backups: [people.Carla] });
      const inTransaction = await t.app.db.transaction((manager) => onCall.whoIsOnCallIn(manager, schedule.id, new Date('2026-04-01T10:00Z')));
      expect(inTransaction).toEqual({ primary: [people.Ana], backups: [people.Carla] });
      // Before the layer starts nobody is primary; the backups still are.
      expect(await onCall.whoIsOnCall(schedule.id, new Date('2026-03-01T00:00Z'))).toEqual({ primary: [], backups: [people.Carla, people.Ana] });
    });

    it('hands off at 09:00 Lisbon time across the spring-forward night (a 23-hour shift)', async () => {
      const schedule = await schedules.create({ name: 'Lisbon', timeZone: 'Europe/Lisbon', layers: [dailyLayer([people.Ana, people.Bruno])] });
      const timeline = await onCall.shifts(schedule.id, new Date('2026-03-28T09:00Z'), new Date('2026-03-31T08:00Z'));
      expect(timeline.gaps).toEqual([]);
      expect(timeline.shifts.map((shift) => [shift.start.toISOString(), shift.end.toISOString(), shift.personId])).toEqual([
        // 27 days after Ana's first shift (2026-03-01T09:00): Bruno's turn.
        ['2026-03-28T09:00:00.000Z', '2026-03-29T08:00:00.000Z', people.Bruno],
        ['2026-03-29T08:00:00.000Z', '2026-03-30T08:00:00.000Z', people.Ana],
        ['2026-03-30T08:00:00.000Z', '2026-03-31T08:00:00.000Z', people.Bruno],
      ]);
      expect((timeline.shifts[0].end.getTime() - timeline.shifts[0].start.getTime()) / HOUR).toBe(23);
      expect(timeline.shifts.every((shift) => shift.layer?.id === schedule.layers[0].id && shift.scheduleOverride === null)).toBe(true);
    });

    it('resolves overlapping overrides by recency, and deleting the newest restores the one beneath, then the layer', async () => {
      const schedule = await schedules.create({ name: 'Overrides', timeZone: 'UTC', layers: [dailyLayer([people.Ana], { start: '2026-04-01T00:00' })] });
      const at = new Date('2026-04-10T12:00Z');
      clock.set('2026-04-05T00:00:00Z');
      const wide = await schedules.createOverride({ scheduleId: schedule.id, personId: people.Bruno, start: new Date('2026-04-10T00:00Z'), end: new Date('2026-04-11T00:00Z') });
      clock.set('2026-04-06T00:00:00Z');
      const narrow = await schedules.createOverride({ scheduleId: schedule.id, personId: people.Carla, start: new Date('2026-04-10T10:00Z'), end: new Date('2026-04-10T14:00Z') });
      // Created at the same instant as `narrow`: ties go to the later insert.
      const tie = await schedules.createOverride({ scheduleId: schedule.id, personId: people.Dora, start: new Date('2026-04-10T11:00Z'), end: new Date('2026-04-10T13:00Z') });
      clock.set('2026-04-01T00:00:00Z');

      expect((await onCall.whoIsOnCall(schedule.id, at)).primary).toEqual([people.Dora]);
      const timeline = await onCall.shifts(schedule.id, new Date('2026-04-10T00:00Z'), new Date('2026-04-11T00:00Z'));
      expect(timeline.shifts.map((shift) => [shift.start.toISOString().slice(11, 16), shift.personId, shift.overrideId])).toEqual([
        ['00:00', people.Bruno, wide.scheduleOverride.id],
        ['10:00', people.Carla, narrow.scheduleOverride.id],
        ['11:00', people.Dora, tie.scheduleOverride.id],
        ['13:00', people.Carla, narrow.scheduleOverride.id],
        ['14:00', people.Bruno, wide.scheduleOverride.id],
      ]);

      await schedules.deleteOverride(tie.scheduleOverride.id);
      expect((await onCall.whoIsOnCall(schedule.id, at)).primary).toEqual([people.Carla]);
      await schedules.deleteOverride(narrow.scheduleOverride.id);
      expect((await onCall.whoIsOnCall(schedule.id, at)).primary).toEqual([people.Bruno]);
      await schedules.deleteOverride(wide.scheduleOverride.id);
      expect((await onCall.whoIsOnCall(schedule.id, at)).primary).toEqual([people.Ana]);
      await expect(schedules.deleteOverride(wide.scheduleOverride.id)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    });

    it('reports coverage gaps, and warns about those in the next 14 days', async () => {
      const schedule = await schedules.create({
        name: 'Office hours',
        timeZone: 'UTC',
        layers: [dailyLayer([people.Ana], { start: '2026-03-01T00:00', restrictions: [{ start: '09:00', end: '17:00' }] })],
      });
      const timeline = await onCall.shifts(schedule.id, new Date('2026-04-01T00:00Z'), new Date('2026-04-02T00:00Z'));
      expect(timeline.gaps).toEqual([
        { start: new Date('2026-04-01T00:00Z'), end: new Date('2026-04-01T09:00Z') },
        { start: new Date('2026-04-01T17:00Z'), end: new Date('2026-04-02T00:00Z') },
      ]);
      const warnings = await onCall.warnings(schedule.id);
      expect(warnings).toHaveLength(15); // 00:00–09:00 on day 1, then 17:00–09:00 for 13 nights, then 17:00–00:00 on day 14
      expect(warnings[0]).toMatchObject({ code: 'COVERAGE_GAP', start: new Date('2026-04-01T00:00Z'), end: new Date('2026-04-01T09:00Z') });
      expect(warnings.at(-1)).toMatchObject({ start: new Date('2026-04-14T17:00Z'), end: new Date('2026-04-15T00:00Z') });
    });
  });

  describe('layers', () => {
    it('adds, updates and removes layers, keeping at least one', async () => {
      const schedule = await schedules.create({ name: 'Layers', timeZone: 'UTC', layers: [dailyLayer([people.Ana], { start: '2026-03-01T00:00' })] });
      const at = new Date('2026-04-01T12:00Z');
      const { layer } = await schedules.addLayer(schedule.id, dailyLayer([people.Bruno], { priority: 5, start: '2026-03-01T00:00' }));
      expect(layer).toMatchObject({ name: 'Layer 2', position: 1, priority: 5, participantIds: [people.Bruno] });
      expect((await onCall.whoIsOnCall(schedule.id, at)).primary).toEqual([people.Bruno]);

      const updated = await schedules.updateLayer(layer.id, { priority: -1, participants: [people.Carla, people.Dora] });
      expect(updated.layer).toMatchObject({ priority: -1, participantIds: [people.Carla, people.Dora], start: '2026-03-01T00:00' });
      expect((await onCall.whoIsOnCall(schedule.id, at)).primary).toEqual([people.Ana]);

      await schedules.updateLayer(layer.id, { priority: 9, restrictions: [{ start: '00:00', end: '06:00' }] });
      expect((await onCall.whoIsOnCall(schedule.id, at)).primary).toEqual([people.Ana]);
      // 31 days after the layer's first handoff (2026-03-01T00:00): Dora's turn, inside 00:00–06:00.
      expect((await onCall.whoIsOnCall(schedule.id, new Date('2026-04-01T03:00Z'))).primary).toEqual([people.Dora]);

      const afterRemoval = await schedules.removeLayer(schedule.layers[0].id);
      expect(afterRemoval.layers.map((l) => l.id)).toEqual([layer.id]);
      await expectBadInput(schedules.removeLayer(layer.id), 'id');
    });

    it('names the field of an invalid layer change', async () => {
      const schedule = await schedules.create({ name: 'Layer validation', timeZone: 'UTC', layers: [dailyLayer([people.Ana])] });
      await expectBadInput(schedules.addLayer(schedule.id, dailyLayer([])), 'layer.participants');
      await expectBadInput(schedules.addLayer(schedule.id, dailyLayer([people.Ana], { start: '2026-03-01 09:00' })), 'layer.start');
      await expectBadInput(schedules.addLayer(schedule.id, dailyLayer([people.Ana, '00000000-0000-4000-8000-000000000000'])), 'layer.participants[1]');
      await expectBadInput(schedules.updateLayer(schedule.layers[0].id, { participants: [] }), 'participants');
      await expectBadInput(schedules.updateLayer(schedule.layers[0].id, { rotation: { unit: RotationUnit.HOURS, length: 0 } }), 'rotation.length');
      await expectBadInput(schedules.updateLayer(schedule.layers[0].id, { restrictions: [{ start: '9:00', end: '17:00' }] }), 'restrictions[0].start');
      await expectBadInput(schedules.updateLayer('not-a-uuid', {}), 'id');
      expect((await store.get(schedule.id)).layers).toHaveLength(1);
    });
  });

  describe('validation', () => {
    it.each([
      ['no layers', { layers: [] }, 'layers'],
      ['a layer with no participants', { layers: [dailyLayer([])] }, 'layers[0].participants'],
      ['a bad time zone', { timeZone: 'Europe/Atlantis' }, 'timeZone'],
      ['an empty name', { name: '  ' }, 'name'],
      ['a bad rotation unit', { layers: [dailyLayer(['x'], { rotation: { unit: 'months' as RotationUnit, length: 1 } })] }, 'layers[0].rotation.unit'],
      ['a bad handoff', { layers: [dailyLayer(['x'], { start: '2026-03-01T09:00Z' })] }, 'layers[0].start'],
      ['a malformed person id', { layers: [dailyLayer(['x'])] }, 'layers[0].participants[0]'],
      ['an unknown backup', { backupPersonIds: ['00000000-0000-4000-8000-000000000000'] }, 'backupPersonIds[0]'],
    ])('rejects %s, naming the field, and writes nothing', async (_case, fields, field) => {
      const [{ count: before }] = await t.app.db.query(`SELECT count(*)::int AS count FROM schedule`);
      await expectBadInput(schedules.create({ name: 'Invalid', timeZone: 'UTC', layers: [dailyLayer([people.Ana])], ...fields }), field);
      const [{ count: after }] = await t.app.db.query(`SELECT count(*)::int AS count FROM schedule`);
      expect(after).toBe(before);
    });

    it('names the unknown participant', async () => {
      const unknown = '00000000-0000-4000-8000-000000000001';
      await expectBadInput(
        schedules.create({ name: 'Unknown', timeZone: 'UTC', layers: [dailyLayer([people.Ana]), dailyLayer([people.Bruno, unknown])] }),
        'layers[1].participants[1]',
      );
    });

    it('rejects an override that ends at or before its start, an unknown person, and a bad window', async () => {
      const schedule = await schedules.create({ name: 'Override validation', timeZone: 'UTC', layers: [dailyLayer([people.Ana])] });
      const start = new Date('2026-04-10T00:00Z');
      await expectBadInput(schedules.createOverride({ scheduleId: schedule.id, personId: people.Bruno, start, end: start }), 'end');
      await expectBadInput(schedules.createOverride({ scheduleId: schedule.id, personId: people.Bruno, start, end: new Date(start.getTime() - 1) }), 'end');
      await expectBadInput(
        schedules.createOverride({ scheduleId: schedule.id, personId: '00000000-0000-4000-8000-000000000002', start, end: new Date(start.getTime() + HOUR) }),
        'personId',
      );
      await expectBadInput(onCall.shifts(schedule.id, start, new Date(start.getTime() - 1)), 'to');
      await expectBadInput(onCall.shifts(schedule.id, start, new Date(start.getTime() + 401 * 24 * HOUR)), 'to');
      await expectBadInput(onCall.whoIsOnCall('nope'), 'scheduleId');
      await expect(onCall.whoIsOnCall('00000000-0000-4000-8000-000000000003')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    });

    it('updates name, time zone and backups, validating them', async () => {
      const schedule = await schedules.create({ name: 'Update me', timeZone: 'UTC', layers: [dailyLayer([people.Ana])], backupPersonIds: [people.Bruno] });
      await expectBadInput(schedules.update(schedule.id, { timeZone: 'Mars/Olympus' }), 'timeZone');
      await expectBadInput(schedules.update(schedule.id, { backupPersonIds: [people.Carla, 'bad'] }), 'backupPersonIds[1]');
      const updated = await schedules.update(schedule.id, { name: 'Updated', timeZone: 'America/New_York', backupPersonIds: [people.Dora, people.Carla] });
      expect(updated).toMatchObject({ name: 'Updated', timeZone: 'America/New_York', backupPersonIds: [people.Dora, people.Carla] });
      expect((await schedules.update(schedule.id, {})).backupPersonIds).toEqual([people.Dora, people.Carla]);
      expect((await schedules.update(schedule.id, { backupPersonIds: [] })).backupPersonIds).toEqual([]);
    });
  });
});
