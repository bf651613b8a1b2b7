import { Role } from '../../src/schema/enums';
import { startTestApp, type TestApp } from '../support/test-app';

describe('teams as escalation targets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  async function must<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await t.gql<T>(query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  }

  async function person(name: string): Promise<string> {
    const data = await must<{ createPerson: { person: { id: string } } }>(`mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }`, {
      i: { name, email: `${name.toLowerCase().replace(/\W/g, '')}@example.com`, phone: `+35191${String(name.length).padStart(7, '0')}` },
    });
    return data.createPerson.person.id;
  }

  it('pages every member of a team target, and lists members by name', async () => {
    const devops = await person('Diana DevOps');
    const helpdesk = await person('Henrique Helpdesk');
    const { createTeam } = await must<{ createTeam: { team: { id: string; members: Array<{ name: string }> } } }>(
      `mutation($i: CreateTeamInput!) { createTeam(input: $i) { team { id members { name } } } }`,
      { i: { name: 'DevOps and Helpdesk', memberIds: [helpdesk, devops] } },
    );
    expect(createTeam.team.members.map((member) => member.name)).toEqual(['Diana DevOps', 'Henrique Helpdesk']);

    const { createEscalationPolicy } = await must<{ createEscalationPolicy: { escalationPolicy: { id: string; steps: Array<{ targets: Array<{ type: string }> }> } } }>(
      `mutation($i: CreateEscalationPolicyInput!) { createEscalationPolicy(input: $i) { escalationPolicy { id steps { targets { type } } } } }`,
      { i: { name: 'team policy', steps: [{ delayMinutes: 10, targets: [{ type: 'TEAM', id: createTeam.team.id }] }] } },
    );
    expect(createEscalationPolicy.escalationPolicy.steps[0].targets).toEqual([{ type: 'TEAM' }]);
    const { createService } = await must<{ createService: { service: { id: string } } }>(`mutation { createService(input: { name: "Billing", slug: "billing" }) { service { id } } }`);
    await must(`mutation($i: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $i) { service { id } } }`, {
      i: { serviceId: createService.service.id, escalationPolicyId: createEscalationPolicy.escalationPolicy.id },
    });
    const { declareIncident } = await must<{ declareIncident: { incident: { id: string } } }>(
      `mutation($s: ID!) { declareIncident(input: { title: "Invoices stuck", serviceId: $s, priority: P2 }) { incident { id } } }`,
      { s: createService.service.id },
    );
    const view = await must<{ incident: { notifications: { edges: Array<{ node: { address: string; status: string } }> }; timeline: Array<{ kind: string; message: string }> } }>(
      `query($id: ID!) { incident(id: $id) { notifications { edges { node { address status } } } timeline { kind message } } }`,
      { id: declareIncident.incident.id },
    );
    expect(view.incident.notifications.edges.map(({ node }) => node.address).sort()).toEqual(['+351910000012', '+351910000017']);
    expect(view.incident.timeline.find((event) => event.kind === 'ESCALATION_STEP')!.message).toContain('paging Diana DevOps, Henrique Helpdesk');
  });

  it('names the field for an unknown member or target, and refuses a duplicate team name', async () => {
    const unknownMember = await t.gql(`mutation { createTeam(input: { name: "Ghosts", memberIds: ["00000000-0000-4000-8000-000000000000"] }) { team { id } } }`);
    expect(unknownMember.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'memberIds[0]' });
    const unknownTarget = await t.gql(
      `mutation { createEscalationPolicy(input: { name: "bad", steps: [{ delayMinutes: 5, targets: [{ type: TEAM, id: "00000000-0000-4000-8000-000000000000" }] }] }) { escalationPolicy { id } } }`,
    );
    expect(unknownTarget.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'steps[0].targets[0].id' });
    await must(`mutation { createTeam(input: { name: "PMs" }) { team { id } } }`);
    const duplicate = await t.gql(`mutation { createTeam(input: { name: "PMs" }) { team { id } } }`);
    expect(duplicate.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(Number((await t.app.db.query(`SELECT count(*) FROM team WHERE name = 'PMs'`))[0].count)).toBe(1);
  });

  it('lets only admins manage teams', async () => {
    const responder = await t.tokenFor(Role.RESPONDER);
    const refused = await t.gql(`mutation { createTeam(input: { name: "Sneaky" }) { team { id } } }`, {}, responder);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const listed = await t.gql<{ teams: { edges: Array<{ node: { name: string } }> } }>(`{ teams(first: 100) { edges { node { name } } } }`, {}, responder);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.teams.edges.map(({ node }) => node.name)).not.toContain('Sneaky');
  });
});
