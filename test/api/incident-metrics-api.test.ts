import { IncidentSource, Priority, Role, ActorType } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };
const ROLES = [Role.VIEWER, Role.RESPONDER, Role.ANALYST, Role.ADMIN];
const QUERY = `query($from: DateTime!, $to: DateTime!, $groupBy: [MetricGroup!], $filter: IncidentMetricsFilter, $zone: String) {
  incidentMetrics(from: $from, to: $to, groupBy: $groupBy, filter: $filter, timeZone: $zone) {
    from to timeZone groupBy
    rows { service { name } periodStart periodEnd opened resolved stillOpen timeToAcknowledge { count meanSeconds medianSeconds p90Seconds } pagesByChannel { channel count } }
    total { opened resolved timeToResolve { meanSeconds } alertsPerIncident }
  } }`;

describe('incidentMetrics over GraphQL', () => {
  const clock = new ManualClock('2026-10-24T10:00:00Z');
  let t: TestApp;
  let serviceId: string;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    for (const role of ROLES) tokens[role] = await t.tokenFor(role);
    serviceId = (await t.app.services.catalog.createService({ name: 'Payments', slug: 'payments' })).id;
    const incident = await t.app.services.incidents.declare(ana, { title: 'Slow payments', serviceId, priority: Priority.P2, source: IncidentSource.MONITORING });
    clock.set(new Date('2026-10-24T10:05:00Z'));
    await t.app.services.incidents.acknowledge(ana, incident.id);
    clock.set(new Date('2026-10-24T11:00:00Z'));
    await t.app.services.incidents.resolve(ana, incident.id);
  });
  afterAll(() => t.close());

  const ask = (token: string, variables: Record<string, unknown>) =>
    t.gql<{ incidentMetrics: { timeZone: string; groupBy: string[]; rows: Array<Record<string, unknown>>; total: Record<string, unknown> } }>(QUERY, variables, token);

  it('answers ANALYST and ADMIN, FORBIDDEN below', async () => {
    const variables = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };
    for (const role of ROLES) {
      const answer = await ask(tokens[role], variables);
      if (role === Role.ANALYST || role === Role.ADMIN) expect([role, answer.errors, answer.data!.incidentMetrics.total.opened]).toEqual([role, undefined, 1]);
      else expect([role, answer.errors?.[0].extensions?.code]).toEqual([role, 'FORBIDDEN']);
    }
  });

  it('groups by service and week in a zone whose clocks go back (a 25-hour day inside the week)', async () => {
    const answer = await ask(tokens.ANALYST, { from: '2026-10-19T00:00:00Z', to: '2026-11-01T23:00:00Z', groupBy: ['SERVICE', 'WEEK'], zone: 'Europe/Berlin' });
    expect(answer.errors).toBeUndefined();
    const metrics = answer.data!.incidentMetrics;
    expect([metrics.timeZone, metrics.groupBy]).toEqual(['Europe/Berlin', ['SERVICE', 'WEEK']]);
    expect(metrics.rows.map((row) => [(row.service as { name: string }).name, row.periodStart, row.periodEnd, row.opened])).toEqual([
      ['Payments', '2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z', 1],
      ['Payments', '2026-10-25T23:00:00.000Z', '2026-11-01T23:00:00.000Z', 0],
    ]);
    expect(metrics.rows[0].timeToAcknowledge).toEqual({ count: 1, meanSeconds: 300, medianSeconds: 300, p90Seconds: 300 });
    expect(metrics.total).toEqual({ opened: 1, resolved: 1, timeToResolve: { meanSeconds: 3600 }, alertsPerIncident: 0 });
  });

  it('computes what the query reads, through named and inline fragments too, as the full computation does', async () => {
    const answer = await t.gql<{ incidentMetrics: { total: Record<string, unknown> } }>(
      `query($from: DateTime!, $to: DateTime!) { incidentMetrics(from: $from, to: $to) { total { ...Timings ... on IncidentMetricsRow { communicationsDue } } } }
       fragment Timings on IncidentMetricsRow { timeToAcknowledge { meanSeconds } timeToResolve { p90Seconds } }`,
      { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      tokens.ANALYST,
    );
    expect(answer.errors).toBeUndefined();
    const full = await t.app.services.incidentMetrics.compute({ from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') });
    expect(answer.data!.incidentMetrics.total).toEqual({
      timeToAcknowledge: { meanSeconds: 300 },
      timeToResolve: { p90Seconds: 3600 },
      communicationsDue: full.total.communicationsDue,
    });
  });

  it('names the field at fault', async () => {
    const answer = await ask(tokens.ANALYST, { from: '2026-10-19T00:00:00Z', to: '2026-11-02T00:00:00Z', zone: 'Nowhere/Else' });
    expect([answer.errors?.[0].extensions?.code, answer.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'timeZone']);
  });
});
