import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const MINUTE = 60_000;

describe('escalation policies: repeats, exhaustion, and escalating by hand', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-11-23T12:00:00Z');
  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  async function must<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await t.gql<T>(query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  }

  async function incidentUnderPolicy(slug: string, steps: number, repeatCount: number): Promise<string> {
    const people: string[] = [];
    for (let index = 0; index < steps; index += 1) {
      const { createPerson } = await must<{ createPerson: { person: { id: string } } }>(`mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }`, {
        i: { name: `${slug} ${index}`, email: `${slug}-${index}@example.com` },
      });
      people.push(createPerson.person.id);
    }
    const { createEscalationPolicy } = await must<{ createEscalationPolicy: { escalationPolicy: { id: string } } }>(
      `mutation($i: CreateEscalationPolicyInput!) { createEscalationPolicy(input: $i) { escalationPolicy { id } } }`,
      { i: { name: slug, repeatCount, steps: people.map((id) => ({ delayMinutes: 10, targets: [{ type: 'PERSON', id }] })) } },
    );
    const { createService } = await must<{ createService: { service: { id: string } } }>(`mutation($slug: String!) { createService(input: { name: $slug, slug: $slug }) { service { id } } }`, { slug });
    await must(`mutation($i: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $i) { service { id } } }`, {
      i: { serviceId: createService.service.id, escalationPolicyId: createEscalationPolicy.escalationPolicy.id },
    });
    const { declareIncident } = await must<{ declareIncident: { incident: { id: string } } }>(
      `mutation($s: ID!) { declareIncident(input: { title: "Queue backlog", serviceId: $s, priority: P2 }) { incident { id } } }`,
      { s: createService.service.id },
    );
    return declareIncident.incident.id;
  }

  const escalation = (id: string) =>
    must<{ incident: { escalation: { state: string; stepIndex: number; repeatIndex: number; nextDueAt: string | null; stepCount: number; policyName: string }; notifications: { edges: Array<{ node: { reason: string } }> } } }>(
      `query($id: ID!) { incident(id: $id) { escalation { state stepIndex repeatIndex nextDueAt stepCount policyName } notifications { edges { node { reason } } } } }`,
      { id },
    );

  it('runs the policy repeatCount more times, then reports it exhausted on the timeline', async () => {
    const id = await incidentUnderPolicy('repeating', 1, 1);
    expect((await escalation(id)).incident.escalation).toMatchObject({ state: 'ACTIVE', stepIndex: 0, repeatIndex: 0, stepCount: 1, policyName: 'repeating', nextDueAt: '2026-11-23T12:10:00.000Z' });
    clock.advance(10 * MINUTE);
    await t.app.services.escalation.runDue();
    expect((await escalation(id)).incident.escalation).toMatchObject({ state: 'ACTIVE', stepIndex: 0, repeatIndex: 1 });
    clock.advance(10 * MINUTE);
    await t.app.services.escalation.runDue();
    const done = await escalation(id);
    expect(done.incident.escalation).toMatchObject({ state: 'EXHAUSTED', nextDueAt: null });
    expect(done.incident.notifications.edges.map(({ node }) => node.reason)).toEqual(['escalation step 1', 'escalation step 1 (repeat 1)']);
    const timeline = await must<{ incident: { timeline: Array<{ kind: string }> } }>(`query($id: ID!) { incident(id: $id) { timeline { kind } } }`, { id });
    expect(timeline.incident.timeline[0].kind).toBe('ESCALATION_EXHAUSTED');
  });

  it('escalateIncident pages the next step at once and restarts its delay; an unknown or stopped escalation is refused', async () => {
    const id = await incidentUnderPolicy('by-hand', 2, 0);
    clock.advance(2 * MINUTE);
    await must(`mutation($id: ID!) { escalateIncident(input: { id: $id }) { incident { id } } }`, { id });
    const moved = await escalation(id);
    expect(moved.incident.escalation).toMatchObject({ state: 'ACTIVE', stepIndex: 1, nextDueAt: new Date(clock.now().getTime() + 10 * MINUTE).toISOString() });
    expect(moved.incident.notifications.edges.map(({ node }) => node.reason)).toEqual(['escalation step 1', 'escalation step 2']);

    await must(`mutation($id: ID!) { acknowledgeIncident(input: { id: $id }) { incident { id } } }`, { id });
    const refused = await t.gql(`mutation($id: ID!) { escalateIncident(input: { id: $id }) { incident { id } } }`, { id });
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    const unknown = await t.gql(`mutation { escalateIncident(input: { id: "00000000-0000-4000-8000-000000000000" }) { incident { id } } }`);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('keeps an escalation on the policy it started with when the policy is edited', async () => {
    const id = await incidentUnderPolicy('snapshot', 2, 0);
    const policies = await must<{ escalationPolicies: { edges: Array<{ node: { id: string; name: string; steps: Array<{ targets: Array<{ id: string }> }> } }> } }>(
      `{ escalationPolicies(filter: { nameContains: "snapshot" }) { edges { node { id name steps { targets { id } } } } } }`,
    );
    const policy = policies.escalationPolicies.edges.map(({ node }) => node).find((p) => p.name === 'snapshot')!;
    await must(`mutation($i: UpdateEscalationPolicyInput!) { updateEscalationPolicy(input: $i) { escalationPolicy { id } } }`, {
      i: { id: policy.id, name: 'snapshot', steps: [{ delayMinutes: 10, targets: [{ type: 'PERSON', id: policy.steps[0].targets[0].id }] }] },
    });
    clock.advance(10 * MINUTE);
    await t.app.services.escalation.runDue();
    expect((await escalation(id)).incident.escalation).toMatchObject({ state: 'ACTIVE', stepIndex: 1, stepCount: 2 });
  });

  it('deletes a policy no service uses, refuses one in use naming its services, and running escalations keep their snapshot', async () => {
    const id = await incidentUnderPolicy('retired', 2, 0);
    const policies = await must<{ escalationPolicies: { edges: Array<{ node: { id: string; name: string } }> } }>(`{ escalationPolicies(filter: { nameContains: "retired" }) { edges { node { id name } } } }`);
    const policy = policies.escalationPolicies.edges.map(({ node }) => node).find((p) => p.name === 'retired')!;
    const remove = `mutation($i: RemoveInput!) { deleteEscalationPolicy(input: $i) { removed } }`;

    const refused = await t.gql(remove, { i: { id: policy.id } });
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0].message).toContain('retired');

    const [{ id: serviceId }] = await t.app.db.query(`SELECT id FROM service WHERE slug = 'retired'`);
    await must(`mutation($i: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $i) { service { id } } }`, { i: { serviceId, escalationPolicyId: null } });
    expect(await must(remove, { i: { id: policy.id } })).toEqual({ deleteEscalationPolicy: { removed: true } });
    const remaining = await must<{ escalationPolicies: { edges: Array<{ node: { id: string } }> } }>(`{ escalationPolicies(first: 100) { edges { node { id } } } }`);
    expect(remaining.escalationPolicies.edges.map(({ node }) => node.id)).not.toContain(policy.id);

    clock.advance(10 * MINUTE);
    await t.app.services.escalation.runDue();
    expect((await escalation(id)).incident.escalation).toMatchObject({ state: 'ACTIVE', stepIndex: 1, stepCount: 2, policyName: 'retired' });

    const again = await t.gql(remove, { i: { id: policy.id } });
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
