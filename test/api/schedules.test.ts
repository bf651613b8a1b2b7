import 'reflect-metadata';
import { printGraphQLSchema } from '../../src/graphql/print-schema';
import { Role } from '../../src/schema/enums';
import { ManualClock } from '../../src/shared/clock';
import { withoutDescriptions } from '../support/sdl';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/test-app';

const CREATE = `mutation($input: CreateScheduleInput!) {
  createSchedule(input: $input) {
    schedule {
      id name timeZone
      layers { id name priority position start rotation { unit length } restrictions { start end } participants { name } }
      backups { name }
    }
  }
}`;

const WHO = `query($scheduleId: ID!, $at: DateTime) { whoIsOnCall(scheduleId: $scheduleId, at: $at) { name } }`;

const SHIFTS = `query($scheduleId: ID!, $from: DateTime!, $to: DateTime!) {
  shifts(scheduleId: $scheduleId, from: $from, to: $to) {
    from to
    shifts { start end person { name } layer { id name } override { id person { name } } }
    gaps { start end }
  }
}`;

const CREATE_OVERRIDE = `mutation($input: CreateScheduleOverrideInput!) {
  createScheduleOverride(input: $input) { scheduleOverride { id start end person { name } } schedule { id } }
}`;

const DELETE_OVERRIDE = `mutation($id: ID!) { deleteScheduleOverride(input: { id: $id }) { deletedOverrideId schedule { id } } }`;

interface Layer {
  id: string;
  name: string;
  priority: number;
  position: number;
  start: string;
  rotation: { unit: string; length: number };
  restrictions: Array<{ start: string; end: string }>;
  participants: Array<{ name: string }>;
}

interface ScheduleData {
  id: string;
  name: string;
  timeZone: string;
  layers: Layer[];
  backups: Array<{ name: string }>;
}

interface Timeline {
  from: string;
  to: string;
  shifts: Array<{ start: string; end: string; person: { name: string }; layer: { id: string; name: string } | null; override: { id: string; person: { name: string } } | null }>;
  gaps: Array<{ start: string; end: string }>;
}

function expectError(result: GraphQLResult<unknown>, code: string, field?: string): void {
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0].extensions?.code).toBe(code);
  if (field !== undefined) expect(result.errors?.[0].extensions?.field).toBe(field);
}

describe('schedules over GraphQL', () => {
  const clock = new ManualClock('2026-04-15T12:00:00Z');
  let t: TestApp;
  const people: Record<string, string> = {};
  const tokens = {} as Record<Role, string>;
  let followTheSun: ScheduleData;

  const layer = (name: string, participants: string[], fields: Record<string, unknown> = {}) => ({
    name,
    participants: participants.map((person) => people[person]),
    rotation: { unit: 'DAYS', length: 1 },
    start: '2026-01-01T00:00',
    ...fields,
  });

  async function createSchedule(input: Record<string, unknown>, token?: string): Promise<GraphQLResult<{ createSchedule: { schedule: ScheduleData } }>> {
    return t.gql<{ createSchedule: { schedule: ScheduleData } }>(CREATE, { input }, token);
  }

  async function whoIsOnCall(scheduleId: string, at?: string, token?: string): Promise<string[]> {
    const result = await t.gql<{ whoIsOnCall: Array<{ name: string }> }>(WHO, { scheduleId, at }, token);
    expect(result.errors).toBeUndefined();
    return result.data!.whoIsOnCall.map((person) => person.name);
  }

  async function shifts(scheduleId: string, from: string, to: string, token?: string): Promise<Timeline> {
    const result = await t.gql<{ shifts: Timeline }>(SHIFTS, { scheduleId, from, to }, token);
    expect(result.errors).toBeUndefined();
    return result.data!.shifts;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock });
    for (const name of ['Stefania', 'Rafael', 'Abdul', 'Helena', 'Luciane', 'Marta', 'Nuno']) {
      people[name] = (await t.app.services.catalog.createPerson({ name, email: `${name.toLowerCase()}@example.com` })).id;
    }
    for (const role of [Role.VIEWER, Role.RESPONDER]) tokens[role] = await t.tokenFor(role);
    const created = await createSchedule({
      name: 'Follow the sun',
      timeZone: 'UTC',
      layers: [
        layer('EMEA', ['Stefania'], { restrictions: [{ start: '02:00', end: '10:00' }] }),
        layer('Americas', ['Rafael'], { restrictions: [{ start: '10:00', end: '18:00' }] }),
        layer('APAC', ['Abdul'], { restrictions: [{ start: '18:00', end: '02:00' }] }),
      ],
      backupPersonIds: [people.Helena, people.Luciane],
    });
    expect(created.errors).toBeUndefined();
    followTheSun = created.data!.createSchedule.schedule;
  });
  afterAll(() => t.close());

  it('keeps the contract names', async () => {
    // Described arguments print on lines of their own: the signatures are matched without the descriptions.
    const described = await printGraphQLSchema();
    const sdl = withoutDescriptions(described);
    for (const fragment of [
      'whoIsOnCall(at: DateTime, scheduleId: ID!): [Person!]!',
      'shifts(from: DateTime!, scheduleId: ID!, to: DateTime!): ScheduleTimeline!',
      'schedule(id: ID!): Schedule!',
      'createSchedule(input: CreateScheduleInput!): SchedulePayload!',
      'updateSchedule(input: UpdateScheduleInput!): SchedulePayload!',
      'addScheduleLayer(input: AddScheduleLayerInput!): ScheduleLayerPayload!',
      'updateScheduleLayer(input: UpdateScheduleLayerInput!): ScheduleLayerPayload!',
      'removeScheduleLayer(input: RemoveScheduleLayerInput!): SchedulePayload!',
      'createScheduleOverride(input: CreateScheduleOverrideInput!): ScheduleOverridePayload!',
      'deleteScheduleOverride(input: DeleteScheduleOverrideInput!): DeleteScheduleOverridePayload!',
      'layers: [LayerInput!]!',
      'gaps(from: DateTime!, to: DateTime!): [ScheduleGap!]!',
      'warnings: [ScheduleWarning!]!',
    ]) {
      expect(sdl).toContain(fragment);
    }
    expect(sdl).toContain('schedules(after: String, first: Int): ScheduleConnection!');
    expect(described).toMatch(/schedules\(\s*"{3}[^"]*"{3}\s*after: String\s*"{3}[^"]*"{3}\s*first: Int\s*\): ScheduleConnection!/);
  });

  describe('the follow-the-sun rota', () => {
    it('comes back as created', () => {
      expect(followTheSun).toMatchObject({ name: 'Follow the sun', timeZone: 'UTC', backups: [{ name: 'Helena' }, { name: 'Luciane' }] });
      expect(followTheSun.layers.map((l) => [l.name, l.position, l.participants, l.restrictions, l.rotation, l.start])).toEqual([
        ['EMEA', 0, [{ name: 'Stefania' }], [{ start: '02:00', end: '10:00' }], { unit: 'DAYS', length: 1 }, '2026-01-01T00:00'],
        ['Americas', 1, [{ name: 'Rafael' }], [{ start: '10:00', end: '18:00' }], { unit: 'DAYS', length: 1 }, '2026-01-01T00:00'],
        ['APAC', 2, [{ name: 'Abdul' }], [{ start: '18:00', end: '02:00' }], { unit: 'DAYS', length: 1 }, '2026-01-01T00:00'],
      ]);
    });

    it.each([
      ['01:59', 'Abdul'],
      ['02:00', 'Stefania'],
      ['09:59', 'Stefania'],
      ['10:00', 'Rafael'],
      ['17:59', 'Rafael'],
      ['18:00', 'Abdul'],
    ])('has the right person first at %s UTC, then Helena and Luciane', async (time, primary) => {
      expect(await whoIsOnCall(followTheSun.id, `2026-04-15T${time}:00Z`)).toEqual([primary, 'Helena', 'Luciane']);
    });

    it('answers for now (by the clock) when at is omitted', async () => {
      expect(await whoIsOnCall(followTheSun.id)).toEqual(['Rafael', 'Helena', 'Luciane']);
      clock.set('2026-04-15T20:00:00Z');
      expect(await whoIsOnCall(followTheSun.id)).toEqual(['Abdul', 'Helena', 'Luciane']);
      clock.set('2026-04-15T12:00:00Z');
    });

    it('resolves a gap-free day of shifts with their layers', async () => {
      const timeline = await shifts(followTheSun.id, '2026-04-15T00:00:00Z', '2026-04-16T00:00:00Z');
      expect(timeline.gaps).toEqual([]);
      expect(timeline.shifts.map((s) => [s.start, s.end, s.person.name, s.layer?.name, s.override])).toEqual([
        ['2026-04-15T00:00:00.000Z', '2026-04-15T02:00:00.000Z', 'Abdul', 'APAC', null],
        ['2026-04-15T02:00:00.000Z', '2026-04-15T10:00:00.000Z', 'Stefania', 'EMEA', null],
        ['2026-04-15T10:00:00.000Z', '2026-04-15T18:00:00.000Z', 'Rafael', 'Americas', null],
        ['2026-04-15T18:00:00.000Z', '2026-04-16T00:00:00.000Z', 'Abdul', 'APAC', null],
      ]);
    });
  });

  it('hands off a Europe/Lisbon daily rota at 09:00 local across the spring-forward night', async () => {
    const created = await createSchedule({
      name: 'Lisbon daily',
      timeZone: 'Europe/Lisbon',
      layers: [layer('Daily', ['Marta', 'Nuno'], { start: '2026-03-02T09:00' })],
    });
    expect(created.errors).toBeUndefined();
    const timeline = await shifts(created.data!.createSchedule.schedule.id, '2026-03-28T09:00:00Z', '2026-03-31T08:00:00Z');
    // Lisbon is UTC+0 until 2026-03-29 01:00 UTC, then UTC+1: 09:00 local is 09:00Z, then 08:00Z.
    expect(timeline.shifts.map((s) => [s.start, s.end, s.person.name])).toEqual([
      ['2026-03-28T09:00:00.000Z', '2026-03-29T08:00:00.000Z', 'Marta'],
      ['2026-03-29T08:00:00.000Z', '2026-03-30T08:00:00.000Z', 'Nuno'],
      ['2026-03-30T08:00:00.000Z', '2026-03-31T08:00:00.000Z', 'Marta'],
    ]);
    const [first] = timeline.shifts;
    expect((Date.parse(first.end) - Date.parse(first.start)) / 3_600_000).toBe(23);
    expect(timeline.gaps).toEqual([]);
  });

  it('stacks overrides by recency, and deleting one restores what was beneath', async () => {
    const at = '2026-04-20T12:00:00Z';
    expect((await whoIsOnCall(followTheSun.id, at))[0]).toBe('Rafael');

    clock.set('2026-04-16T00:00:00Z');
    const holiday = await t.gql<{ createScheduleOverride: { scheduleOverride: { id: string; person: { name: string } } } }>(
      CREATE_OVERRIDE,
      { input: { scheduleId: followTheSun.id, personId: people.Marta, start: '2026-04-20T00:00:00Z', end: '2026-04-21T00:00:00Z' } },
      tokens.RESPONDER,
    );
    expect(holiday.errors).toBeUndefined();
    expect(holiday.data!.createScheduleOverride.scheduleOverride.person.name).toBe('Marta');
    clock.set('2026-04-17T00:00:00Z');
    const swap = await t.gql<{ createScheduleOverride: { scheduleOverride: { id: string } } }>(
      CREATE_OVERRIDE,
      { input: { scheduleId: followTheSun.id, personId: people.Nuno, start: '2026-04-20T11:00:00Z', end: '2026-04-20T13:00:00Z' } },
      tokens.RESPONDER,
    );
    expect(swap.errors).toBeUndefined();
    clock.set('2026-04-15T12:00:00Z');

    expect(await whoIsOnCall(followTheSun.id, at)).toEqual(['Nuno', 'Helena', 'Luciane']);
    const timeline = await shifts(followTheSun.id, '2026-04-20T10:00:00Z', '2026-04-20T14:00:00Z');
    expect(timeline.shifts.map((s) => [s.start.slice(11, 16), s.person.name, s.layer, s.override?.id])).toEqual([
      ['10:00', 'Marta', null, holiday.data!.createScheduleOverride.scheduleOverride.id],
      ['11:00', 'Nuno', null, swap.data!.createScheduleOverride.scheduleOverride.id],
      ['13:00', 'Marta', null, holiday.data!.createScheduleOverride.scheduleOverride.id],
    ]);

    const overrides = await t.gql<{ schedule: { overrides: Array<{ person: { name: string } }> } }>(
      `query($id: ID!) { schedule(id: $id) { overrides { person { name } } } }`,
      { id: followTheSun.id },
      tokens.VIEWER,
    );
    expect(overrides.data!.schedule.overrides.map((o) => o.person.name)).toEqual(['Marta', 'Nuno']);

    const deleted = await t.gql(DELETE_OVERRIDE, { id: swap.data!.createScheduleOverride.scheduleOverride.id }, tokens.RESPONDER);
    expect(deleted.errors).toBeUndefined();
    expect((await whoIsOnCall(followTheSun.id, at))[0]).toBe('Marta');
    await t.gql(DELETE_OVERRIDE, { id: holiday.data!.createScheduleOverride.scheduleOverride.id }, tokens.RESPONDER);
    expect(await whoIsOnCall(followTheSun.id, at)).toEqual(['Rafael', 'Helena', 'Luciane']);
  });

  it('reports gaps on the timeline, as Schedule.gaps and as warnings for the next 14 days', async () => {
    const created = await createSchedule({
      name: 'Office hours',
      timeZone: 'UTC',
      layers: [layer('Weekdays', ['Marta'], { restrictions: [{ start: '09:00', end: '17:00' }] })],
      backupPersonIds: [people.Helena],
    });
    const id = created.data!.createSchedule.schedule.id;
    expect(await whoIsOnCall(id, '2026-04-15T20:00:00Z')).toEqual(['Helena']);
    const timeline = await shifts(id, '2026-04-15T00:00:00Z', '2026-04-16T00:00:00Z');
    expect(timeline.gaps).toEqual([
      { start: '2026-04-15T00:00:00.000Z', end: '2026-04-15T09:00:00.000Z' },
      { start: '2026-04-15T17:00:00.000Z', end: '2026-04-16T00:00:00.000Z' },
    ]);
    const result = await t.gql<{ schedule: { gaps: Array<{ start: string }>; warnings: Array<{ code: string; message: string; start: string; end: string }> } }>(
      `query($id: ID!) {
        schedule(id: $id) {
          gaps(from: "2026-04-15T00:00:00Z", to: "2026-04-16T00:00:00Z") { start }
          warnings { code message start end }
        }
      }`,
      { id },
      tokens.VIEWER,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.schedule.gaps.map((gap) => gap.start)).toEqual(['2026-04-15T00:00:00.000Z', '2026-04-15T17:00:00.000Z']);
    const { warnings } = result.data!.schedule;
    // From now (12:00 on the 15th) for 14 days: the 14 nights 17:00–09:00 from the 15th to the 28th.
    expect(warnings).toHaveLength(14);
    expect(warnings[0]).toMatchObject({ code: 'COVERAGE_GAP', start: '2026-04-15T17:00:00.000Z', end: '2026-04-16T09:00:00.000Z' });
    expect(warnings[0].message).toContain('nobody is on call');
    expect(warnings.at(-1)).toMatchObject({ start: '2026-04-28T17:00:00.000Z', end: '2026-04-29T09:00:00.000Z' });

    const onCall = await t.gql<{ schedule: { warnings: unknown[] } }>(`query($id: ID!) { schedule(id: $id) { warnings { code } } }`, { id: followTheSun.id });
    expect(onCall.data!.schedule.warnings).toEqual([]);
  });

  it('edits layers: add, update, remove', async () => {
    const created = await createSchedule({ name: 'Editable', timeZone: 'UTC', layers: [layer('Base', ['Marta'])] });
    const id = created.data!.createSchedule.schedule.id;
    const added = await t.gql<{ addScheduleLayer: { layer: { id: string; priority: number; participants: Array<{ name: string }> }; schedule: { layers: unknown[] } } }>(
      `mutation($input: AddScheduleLayerInput!) { addScheduleLayer(input: $input) { layer { id priority participants { name } } schedule { layers { id } } } }`,
      { input: { scheduleId: id, layer: layer('Cover', ['Nuno'], { priority: 10, restrictions: [{ start: '12:00', end: '13:00' }] }) } },
    );
    expect(added.errors).toBeUndefined();
    expect(added.data!.addScheduleLayer.layer).toMatchObject({ priority: 10, participants: [{ name: 'Nuno' }] });
    expect(added.data!.addScheduleLayer.schedule.layers).toHaveLength(2);
    expect((await whoIsOnCall(id, '2026-04-15T12:30:00Z'))[0]).toBe('Nuno');

    const layerId = added.data!.addScheduleLayer.layer.id;
    const updated = await t.gql(
      `mutation($input: UpdateScheduleLayerInput!) { updateScheduleLayer(input: $input) { layer { participants { name } restrictions { start } } } }`,
      { input: { id: layerId, participants: [people.Abdul], restrictions: null } },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data).toEqual({ updateScheduleLayer: { layer: { participants: [{ name: 'Abdul' }], restrictions: [] } } });
    expect((await whoIsOnCall(id, '2026-04-15T20:00:00Z'))[0]).toBe('Abdul');

    const badUpdate = await t.gql(`mutation($input: UpdateScheduleLayerInput!) { updateScheduleLayer(input: $input) { layer { id } } }`, {
      input: { id: layerId, participants: [] },
    });
    expectError(badUpdate, 'BAD_USER_INPUT', 'participants');

    const removed = await t.gql<{ removeScheduleLayer: { schedule: { layers: Array<{ name: string }> } } }>(
      `mutation($id: ID!) { removeScheduleLayer(input: { id: $id }) { schedule { layers { name } } } }`,
      { id: layerId },
    );
    expect(removed.data!.removeScheduleLayer.schedule.layers).toEqual([{ name: 'Base' }]);
    expect((await whoIsOnCall(id, '2026-04-15T20:00:00Z'))[0]).toBe('Marta');

    const renamed = await t.gql(`mutation($input: UpdateScheduleInput!) { updateSchedule(input: $input) { schedule { name timeZone backups { name } } } }`, {
      input: { id, name: 'Edited', timeZone: 'Asia/Kolkata', backupPersonIds: [people.Luciane] },
    });
    expect(renamed.data).toEqual({ updateSchedule: { schedule: { name: 'Edited', timeZone: 'Asia/Kolkata', backups: [{ name: 'Luciane' }] } } });

    const deleted = await t.gql(`mutation($id: ID!) { deleteSchedule(input: { id: $id }) { deletedScheduleId } }`, { id });
    expect(deleted.data).toEqual({ deleteSchedule: { deletedScheduleId: id } });
    expectError(await t.gql(`query($id: ID!) { schedule(id: $id) { id } }`, { id }), 'NOT_FOUND');
  });

  it('pages through schedules', async () => {
    const query = `query($after: String) { schedules(first: 2, after: $after) { totalCount edges { node { id name } } pageInfo { hasNextPage endCursor } } }`;
    const names: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let page = 0; page < 10; page += 1) {
      const result: GraphQLResult<{
        schedules: { totalCount: number; edges: Array<{ node: { name: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      }> = await t.gql(query, { after }, tokens.VIEWER);
      expect(result.errors).toBeUndefined();
      const connection = result.data!.schedules;
      totalCount = connection.totalCount;
      names.push(...connection.edges.map((edge) => edge.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(names).toHaveLength(totalCount);
    expect(names).toEqual(expect.arrayContaining(['Follow the sun', 'Lisbon daily', 'Office hours']));
    expectError(await t.gql(query, { after: 'garbage' }), 'BAD_USER_INPUT', 'after');
  });

  describe('validation', () => {
    it.each([
      ['a layer with no participants', { layers: [{ participants: [], rotation: { unit: 'DAYS', length: 1 }, start: '2026-01-01T00:00' }] }, 'layers[0].participants'],
      ['a bad time zone', { timeZone: 'Europe/Nowhere' }, 'timeZone'],
      ['an unknown participant', { layers: [{ participants: ['7b0c6c2e-0000-4000-8000-000000000000'], rotation: { unit: 'DAYS', length: 1 }, start: '2026-01-01T00:00' }] }, 'layers[0].participants[0]'],
      ['an unknown backup', { backupPersonIds: ['7b0c6c2e-0000-4000-8000-000000000001'] }, 'backupPersonIds[0]'],
      ['a bad restriction', { layers: [{ participants: ['P'], rotation: { unit: 'DAYS', length: 1 }, start: '2026-01-01T00:00', restrictions: [{ start: '25:00', end: '02:00' }] }] }, 'layers[0].restrictions[0].start'],
      ['a zero-length rotation', { layers: [{ participants: ['P'], rotation: { unit: 'HOURS', length: 0 }, start: '2026-01-01T00:00' }] }, 'layers[0].rotation.length'],
    ])('rejects %s with BAD_USER_INPUT naming the field, writing nothing', async (_case, fields, field) => {
      const input = { name: 'Invalid', timeZone: 'UTC', layers: [layer('L', ['Marta'])], ...fields };
      const withPeople = JSON.parse(JSON.stringify(input).replaceAll('"P"', JSON.stringify(people.Marta)));
      const [{ count: before }] = await t.app.db.query(`SELECT count(*)::int AS count FROM schedule`);
      expectError(await createSchedule(withPeople), 'BAD_USER_INPUT', field);
      const [{ count: after }] = await t.app.db.query(`SELECT count(*)::int AS count FROM schedule`);
      expect(after).toBe(before);
    });

    it('rejects an override whose end is not after its start, naming end', async () => {
      for (const end of ['2026-04-20T00:00:00Z', '2026-04-19T23:59:59Z']) {
        const result = await t.gql(CREATE_OVERRIDE, { input: { scheduleId: followTheSun.id, personId: people.Marta, start: '2026-04-20T00:00:00Z', end } });
        expectError(result, 'BAD_USER_INPUT', 'end');
      }
    });

    it('rejects an override for an unknown person or schedule', async () => {
      const input = { scheduleId: followTheSun.id, personId: '7b0c6c2e-0000-4000-8000-000000000002', start: '2026-04-20T00:00:00Z', end: '2026-04-21T00:00:00Z' };
      expectError(await t.gql(CREATE_OVERRIDE, { input }), 'BAD_USER_INPUT', 'personId');
      expectError(await t.gql(CREATE_OVERRIDE, { input: { ...input, personId: people.Marta, scheduleId: '7b0c6c2e-0000-4000-8000-000000000003' } }), 'NOT_FOUND');
      expectError(await t.gql(CREATE_OVERRIDE, { input: { ...input, personId: people.Marta, scheduleId: 'nope' } }), 'BAD_USER_INPUT', 'scheduleId');
    });

    it('rejects bad shift windows and schedule ids', async () => {
      expectError(await t.gql(SHIFTS, { scheduleId: followTheSun.id, from: '2026-04-20T00:00:00Z', to: '2026-04-19T00:00:00Z' }), 'BAD_USER_INPUT', 'to');
      expectError(await t.gql(WHO, { scheduleId: 'not-a-uuid' }), 'BAD_USER_INPUT', 'scheduleId');
      expectError(await t.gql(WHO, { scheduleId: '7b0c6c2e-0000-4000-8000-000000000004' }), 'NOT_FOUND');
    });
  });

  describe('roles', () => {
    it('lets a VIEWER read schedules, whoIsOnCall and shifts', async () => {
      expect(await whoIsOnCall(followTheSun.id, '2026-04-15T03:00:00Z', tokens.VIEWER)).toEqual(['Stefania', 'Helena', 'Luciane']);
      expect((await shifts(followTheSun.id, '2026-04-15T00:00:00Z', '2026-04-15T01:00:00Z', tokens.VIEWER)).shifts).toHaveLength(1);
      const listed = await t.gql(`{ schedules { edges { node { id } } } }`, {}, tokens.VIEWER);
      expect(listed.errors).toBeUndefined();
      const one = await t.gql(`query($id: ID!) { schedule(id: $id) { name } }`, { id: followTheSun.id }, tokens.VIEWER);
      expect(one.data).toEqual({ schedule: { name: 'Follow the sun' } });
    });

    it('refuses a VIEWER creating a schedule or an override', async () => {
      expectError(await createSchedule({ name: 'Nope', timeZone: 'UTC', layers: [layer('L', ['Marta'])] }, tokens.VIEWER), 'FORBIDDEN');
      const input = { scheduleId: followTheSun.id, personId: people.Marta, start: '2026-05-01T00:00:00Z', end: '2026-05-02T00:00:00Z' };
      expectError(await t.gql(CREATE_OVERRIDE, { input }, tokens.VIEWER), 'FORBIDDEN');
    });

    it('lets a RESPONDER create and delete an override, but not create, edit or delete a schedule', async () => {
      expectError(await createSchedule({ name: 'Nope', timeZone: 'UTC', layers: [layer('L', ['Marta'])] }, tokens.RESPONDER), 'FORBIDDEN');
      expectError(await t.gql(`mutation($id: ID!) { updateSchedule(input: { id: $id, name: "x" }) { schedule { id } } }`, { id: followTheSun.id }, tokens.RESPONDER), 'FORBIDDEN');
      expectError(await t.gql(`mutation($id: ID!) { deleteSchedule(input: { id: $id }) { deletedScheduleId } }`, { id: followTheSun.id }, tokens.RESPONDER), 'FORBIDDEN');
      expectError(await t.gql(`mutation($id: ID!) { removeScheduleLayer(input: { id: $id }) { schedule { id } } }`, { id: followTheSun.layers[0].id }, tokens.RESPONDER), 'FORBIDDEN');

      const input = { scheduleId: followTheSun.id, personId: people.Marta, start: '2026-05-01T00:00:00Z', end: '2026-05-02T00:00:00Z' };
      const created = await t.gql<{ createScheduleOverride: { scheduleOverride: { id: string } } }>(CREATE_OVERRIDE, { input }, tokens.RESPONDER);
      expect(created.errors).toBeUndefined();
      const deleted = await t.gql(DELETE_OVERRIDE, { id: created.data!.createScheduleOverride.scheduleOverride.id }, tokens.RESPONDER);
      expect(deleted.errors).toBeUndefined();
      expect((await t.app.services.scheduleStore.get(followTheSun.id)).layers).toHaveLength(3);
    });
  });
});
