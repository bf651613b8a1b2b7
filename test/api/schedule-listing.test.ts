import { Role } from '../../src/schema/enums';
import { ManualClock } from '../../src/shared/clock';
import { statementsDuring } from '../support/statement-counter';
import { startTestApp, type TestApp } from '../support/test-app';

const LISTING = `query($first: Int!, $from: DateTime!, $to: DateTime!) {
  schedules(first: $first) {
    edges { node {
      id name
      overrides { person { name } }
      gaps(from: $from, to: $to) { start end }
      warnings { code start end }
    } }
  }
}`;

interface Listing {
  schedules: { edges: Array<{ node: { id: string; name: string; overrides: Array<{ person: { name: string } }>; gaps: Array<{ start: string; end: string }>; warnings: Array<{ code: string; start: string; end: string }> } }> };
}

describe('listing schedules with overrides, gaps and warnings batches its SQL', () => {
  const clock = new ManualClock('2026-04-01T00:00:00Z');
  let t: TestApp;
  let token: string;
  const window = { from: '2026-04-02T00:00:00Z', to: '2026-04-03T00:00:00Z' };

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    token = await t.tokenFor(Role.VIEWER);
    const people = [];
    for (const name of ['Ana', 'Bo', 'Cy']) people.push((await t.app.services.catalog.createPerson({ name, email: `${name.toLowerCase()}@example.com` })).id);
    for (let index = 0; index < 6; index += 1) {
      // Each schedule covers 08:00–(16 + index):00 UTC, so each has its own gaps.
      const created = await t.gql<{ createSchedule: { schedule: { id: string } } }>(
        `mutation($input: CreateScheduleInput!) { createSchedule(input: $input) { schedule { id } } }`,
        {
          input: {
            name: `schedule ${index}`,
            timeZone: 'UTC',
            layers: [
              {
                name: 'day',
                participants: [people[index % 3]],
                rotation: { unit: 'DAYS', length: 1 },
                start: '2026-01-01T00:00',
                restrictions: [{ start: '08:00', end: `${16 + index}:00` }],
              },
            ],
          },
        },
      );
      expect(created.errors).toBeUndefined();
      const override = await t.gql(
        `mutation($input: CreateScheduleOverrideInput!) { createScheduleOverride(input: $input) { scheduleOverride { id } } }`,
        { input: { scheduleId: created.data!.createSchedule.schedule.id, personId: people[(index + 1) % 3], start: '2026-04-02T02:00:00Z', end: '2026-04-02T03:00:00Z' } },
      );
      expect(override.errors).toBeUndefined();
    }
    expect((await t.gql(`{ me { role } }`, {}, token)).errors).toBeUndefined();
  });
  afterAll(() => t.close());

  async function list(first: number): Promise<{ statements: string[]; data: Listing }> {
    let data: Listing | undefined;
    const statements = await statementsDuring(t.app.db, async () => {
      const response = await t.gql<Listing>(LISTING, { first, ...window }, token);
      expect(response.errors).toBeUndefined();
      data = response.data;
    });
    return { statements, data: data! };
  }

  it('gives each schedule its own overrides, gaps and warnings, the same as asking for it alone', async () => {
    const { data } = await list(6);
    expect(data.schedules.edges).toHaveLength(6);
    for (const { node } of data.schedules.edges) {
      const alone = await t.app.services.onCall.shifts(node.id, new Date(window.from), new Date(window.to));
      expect(node.gaps).toEqual(alone.gaps.map((gap) => ({ start: gap.start.toISOString(), end: gap.end.toISOString() })));
      const warnings = await t.app.services.onCall.warnings(node.id);
      expect(node.warnings).toEqual(warnings.map((warning) => ({ code: warning.code, start: warning.start.toISOString(), end: warning.end.toISOString() })));
      expect(node.overrides).toHaveLength(1);
    }
    const index = Number(data.schedules.edges[2].node.name.split(' ')[1]);
    // Gaps: 00:00–02:00, 03:00–08:00 (the override covers 02:00–03:00), then from the end of the day layer.
    expect(data.schedules.edges[2].node.gaps.at(-1)).toEqual({ start: `2026-04-02T${16 + index}:00:00.000Z`, end: '2026-04-03T00:00:00.000Z' });
  });

  it('costs the same statements for 1 schedule as for 6', async () => {
    const one = await list(1);
    const six = await list(6);
    expect(six.statements.some((sql) => /schedule_override/i.test(sql))).toBe(true);
    expect(six.statements).toHaveLength(one.statements.length);
    expect(six.statements.length).toBeLessThanOrEqual(12);
  });
});
