import { parse } from 'csv-parse/sync';
import { ActorType, IncidentSource, Priority, Resolution, Role } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };
const FROM = '2026-05-01T00:00:00Z';
const TO = '2026-06-01T00:00:00Z';
// Leading tabs and carriage returns do not survive a title (it is trimmed); neutraliseFormula's own test covers them.
const HOSTILE_TITLES = ['=HYPERLINK("http://evil.example","x")', '+1 sum', '-2 minus', '@SUM(A1)', '=1+1', 'Fine -3'];

/** The export over a real server: who may read it, the rows as incidentMetrics counts them, and cells a spreadsheet would run. */
describe('GET /analytics/incidents.csv', () => {
  const clock = new ManualClock('2026-05-03T08:00:00Z');
  let t: TestApp;
  let serviceId: string;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    for (const role of [Role.VIEWER, Role.RESPONDER, Role.ANALYST, Role.ADMIN]) tokens[role] = await t.tokenFor(role);
    serviceId = (await t.app.services.catalog.createService({ name: '=cmd|calc', slug: 'billing' })).id;
    const { incidents } = t.app.services;
    for (const [index, title] of ['Plain title', ...HOSTILE_TITLES].entries()) {
      clock.set(new Date(Date.parse('2026-05-03T08:00:00Z') + index * 3_600_000));
      const incident = await incidents.declare(ana, { title, serviceId, priority: index % 2 ? Priority.P1 : Priority.P3, source: IncidentSource.MONITORING });
      if (index % 3 === 2) continue;
      clock.advance((index + 1) * 45_000);
      await incidents.acknowledge(ana, incident.id);
      clock.advance((index + 1) * 600_000);
      await incidents.resolve(ana, incident.id, index === 4 ? Resolution.FALSE_POSITIVE : Resolution.FIXED);
    }
    clock.set(new Date('2026-04-30T23:59:59Z'));
    await incidents.declare(ana, { title: 'Before the period', serviceId, priority: Priority.P2 });
  });
  afterAll(() => t.close());

  const csv = (query: string, token: string | null = tokens.ANALYST) => fetch(`${t.url}/analytics/incidents.csv?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const rowsOf = async (answer: Response): Promise<Array<Record<string, string>>> => parse(await answer.text(), { columns: true, relax_quotes: false });

  it('needs an ANALYST token or higher', async () => {
    expect((await csv(`from=${FROM}&to=${TO}`, null)).status).toBe(401);
    for (const role of [Role.VIEWER, Role.RESPONDER]) expect([role, (await csv(`from=${FROM}&to=${TO}`, tokens[role])).status]).toEqual([role, 403]);
    for (const role of [Role.ANALYST, Role.ADMIN]) expect([role, (await csv(`from=${FROM}&to=${TO}`, tokens[role])).status]).toEqual([role, 200]);
  });

  it('lists each incident of the period once, with numbers equal to incidentMetrics for the same filter', async () => {
    const answer = await csv(`from=${FROM}&to=${TO}&priorities=P1,P3&serviceIds=${serviceId}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = await rowsOf(answer);
    const metrics = await t.gql<{ incidentMetrics: { total: Record<string, number> & { timeToAcknowledge: { count: number; meanSeconds: number; medianSeconds: number }; timeToResolve: { count: number; meanSeconds: number; p90Seconds: number } } } }>(
      `query($from: DateTime!, $to: DateTime!, $s: [ID!]) { incidentMetrics(from: $from, to: $to, filter: { serviceIds: $s, priorities: [P1, P3] }) { total {
        opened resolved stillOpen falsePositives alerts pagesSent escalated communicationsDue communicationsOnTime timeToAcknowledge { count meanSeconds medianSeconds } timeToResolve { count meanSeconds p90Seconds } } } }`,
      { from: FROM, to: TO, s: [serviceId] },
      tokens.ANALYST,
    );
    const total = metrics.data!.incidentMetrics.total;
    const numbers = (column: string) => rows.map((row) => row[column]).filter((value) => value !== '').map(Number);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    expect(rows).toHaveLength(total.opened);
    expect(rows).toHaveLength(7);
    expect(rows.filter((row) => row.resolved_at !== '')).toHaveLength(total.resolved);
    expect(rows.filter((row) => row.resolution === 'FALSE_POSITIVE')).toHaveLength(total.falsePositives);
    expect(numbers('time_to_acknowledge_seconds')).toHaveLength(total.timeToAcknowledge.count);
    expect(mean(numbers('time_to_acknowledge_seconds'))).toBeCloseTo(total.timeToAcknowledge.meanSeconds, 9);
    const tta = sorted(numbers('time_to_acknowledge_seconds'));
    expect(tta).toHaveLength(5);
    expect(tta[2]).toBe(total.timeToAcknowledge.medianSeconds);
    expect(mean(numbers('time_to_resolve_seconds'))).toBeCloseTo(total.timeToResolve.meanSeconds, 9);
    expect(numbers('alerts').reduce((sum, value) => sum + value, 0)).toBe(total.alerts);
    expect(numbers('pages_sent').reduce((sum, value) => sum + value, 0)).toBe(total.pagesSent);
    expect(numbers('communications_due').reduce((sum, value) => sum + value, 0)).toBe(total.communicationsDue);
    expect(numbers('communications_on_time').reduce((sum, value) => sum + value, 0)).toBe(total.communicationsOnTime);
    expect(rows.map((row) => row.opened_at)).toEqual([...rows.map((row) => row.opened_at)].sort());
    expect(rows[0]).toMatchObject({ title: 'Plain title', priority: 'P3', status: 'RESOLVED', opened_at: '2026-05-03T08:00:00.000Z', acknowledged_at: '2026-05-03T08:00:45.000Z', time_to_acknowledge_seconds: '45', escalated: 'false' });
    expect(rows.some((row) => row.title === 'Before the period')).toBe(false);
  });

  it('turns cells that begin like a formula into text', async () => {
    const rows = await rowsOf(await csv(`from=${FROM}&to=${TO}`));
    expect(rows.map((row) => row.title).slice(1)).toEqual(HOSTILE_TITLES.map((title) => (title.startsWith('Fine') ? title : `'${title}`)));
    expect(new Set(rows.map((row) => row.service))).toEqual(new Set(["'=cmd|calc"]));
  });

  it('answers 400 naming the parameter at fault, before any row', async () => {
    for (const [query, field] of [
      [`to=${TO}`, 'from'],
      [`from=yesterday&to=${TO}`, 'from'],
      [`from=${TO}&to=${FROM}`, 'to'],
      [`from=${FROM}&to=${TO}&priorities=P9`, 'filter.priorities[0]'],
      [`from=${FROM}&to=${TO}&serviceIds=nope`, 'filter.serviceIds[0]'],
      [`from=${FROM}&to=${TO}&timeZone=Atlantis/Capital`, 'timeZone'],
    ]) {
      const answer = await csv(query);
      expect([query, answer.status, ((await answer.json()) as { field: string }).field]).toEqual([query, 400, field]);
    }
  });

  it('gives its connection back when the client stops reading half way', async () => {
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const controller = new AbortController();
      const answer = await fetch(`${t.url}/analytics/incidents.csv?from=${FROM}&to=${TO}`, { headers: { authorization: `Bearer ${tokens.ANALYST}` }, signal: controller.signal });
      expect(answer.status).toBe(200);
      controller.abort();
    }
    // Only two exports may run at once: had any of the twelve kept its slot, this one would be refused.
    const last = await csv(`from=${FROM}&to=${TO}`);
    expect(last.status).toBe(200);
    expect(await rowsOf(last)).toHaveLength(7);
  });
});
