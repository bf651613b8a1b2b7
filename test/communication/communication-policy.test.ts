import { seedDemo } from '../../scripts/seed-demo';
import { Role } from '../../src/schema/enums';
import { REFERENCE_CADENCE } from '../../src/services/communication-planner';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const POLICY_FIELDS = 'priority firstPublicNoticeMinutes publicUpdateMinutes internalUpdateMinutes statusPageUpdateMinutes callMinutes maintenanceUpdateMinutes escalationGraceMinutes';
const UPDATE = `mutation($i: UpdateCommunicationPolicyInput!) { updateCommunicationPolicy(input: $i) { communicationPolicy { ${POLICY_FIELDS} updatedAt } } }`;
const reference = REFERENCE_CADENCE.map((policy) => ({ ...policy }));

describe('communication policies', () => {
  const clock = new ManualClock('2026-11-23T03:00:00Z');
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  const policies = async (token?: string) => {
    const result = await t.gql<{ communicationPolicies: Array<Record<string, unknown>> }>(`{ communicationPolicies { ${POLICY_FIELDS} } }`, {}, token);
    expect(result.errors).toBeUndefined();
    return result.data!.communicationPolicies;
  };
  const auditEntries = async () => Number((await t.app.db.query(`SELECT count(*) FROM audit_entry WHERE target_type = 'COMMUNICATION_POLICY'`))[0].count);

  it('start as the reference cadence, readable by a VIEWER', async () => {
    expect(await policies(await t.tokenFor(Role.VIEWER))).toEqual(reference);
  });

  it.each([
    ['firstPublicNoticeMinutes', 0],
    ['publicUpdateMinutes', -30],
    ['internalUpdateMinutes', 0],
    ['statusPageUpdateMinutes', -1],
    ['callMinutes', 10_081],
    ['maintenanceUpdateMinutes', 0],
    ['escalationGraceMinutes', 0],
    ['escalationGraceMinutes', null],
  ])('refuses %s = %p with BAD_USER_INPUT naming the field, and writes nothing', async (field, value) => {
    const before = await auditEntries();
    const result = await t.gql(UPDATE, { i: { priority: 'P1', internalUpdateMinutes: 20, [field]: value } });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors![0].message).toContain(field);
    expect(await policies()).toEqual(reference);
    expect(await auditEntries()).toBe(before);
  });

  it('is ADMIN only', async () => {
    const result = await t.gql(UPDATE, { i: { priority: 'P2', callMinutes: 120 } }, await t.tokenFor(Role.RESPONDER));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await policies()).toEqual(reference);
  });

  it('changes only the fields given (null turns one off); incidents opened before keep their obligations, new ones follow the new policy', async () => {
    const service = await t.app.services.catalog.createService({ name: 'Web app', slug: 'web-app' });
    const declare = async (title: string) =>
      (
        await t.gql<{ declareIncident: { incident: { id: string } } }>(`mutation($i: DeclareIncidentInput!) { declareIncident(input: $i) { incident { id } } }`, {
          i: { title, serviceId: service.id, priority: 'P2' },
        })
      ).data!.declareIncident.incident.id;
    const kinds = async (id: string) =>
      (
        await t.gql<{ incident: { communication: { obligations: Array<{ kind: string; dueAt: string }> } } }>(`query($id: ID!) { incident(id: $id) { communication { obligations { kind dueAt } } } }`, { id })
      ).data!.incident.communication.obligations
        .map(({ kind, dueAt }) => `${kind} ${dueAt}`)
        .sort();
    const before = await declare('before the change');

    clock.set('2026-11-23T04:00:00Z');
    const result = await t.gql<{ updateCommunicationPolicy: { communicationPolicy: Record<string, unknown> } }>(UPDATE, { i: { priority: 'P2', firstPublicNoticeMinutes: 20, callMinutes: null } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateCommunicationPolicy.communicationPolicy).toEqual({ ...reference[1], firstPublicNoticeMinutes: 20, callMinutes: null, updatedAt: '2026-11-23T04:00:00.000Z' });
    const after = await declare('after the change');

    expect(await kinds(before)).toEqual([
      'FIRST_PUBLIC_NOTICE 2026-11-23T03:15:00.000Z',
      'INCIDENT_CALL 2026-11-23T04:00:00.000Z',
      'INTERNAL_UPDATE 2026-11-23T03:30:00.000Z',
      'STATUS_PAGE_UPDATE 2026-11-23T04:00:00.000Z',
    ]);
    expect(await kinds(after)).toEqual(['FIRST_PUBLIC_NOTICE 2026-11-23T04:20:00.000Z', 'INTERNAL_UPDATE 2026-11-23T04:30:00.000Z', 'STATUS_PAGE_UPDATE 2026-11-23T05:00:00.000Z']);
  });

  it('npm run seed:demo puts the reference cadence back', async () => {
    expect((await policies())[1]).toMatchObject({ priority: 'P2', callMinutes: null });
    const lines: string[] = [];
    await seedDemo(t.app.services, t.app.db, clock, 'https://incidents.example.com', (line) => lines.push(line));
    expect(await policies()).toEqual(reference);
    expect(lines).toContainEqual(expect.stringContaining('communication cadence: P1: first public notice 15 min, public every 30 min, internal every 30 min, status page every 60 min, call every 60 min, maintenance update every 60 min, grace 10 min;'));
  });
});
