import { Role } from '../../src/schema/enums';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const REVIEW = `review { status revision missingSections detection { timeToAcknowledgeSeconds timeToResolveSeconds } incident { status } }`;
const MUTATIONS: Record<string, { role: Role; document: string }> = {
  openReview: { role: Role.RESPONDER, document: `mutation($id: ID!) { openReview(input: { incidentId: $id }) { ${REVIEW} } }` },
  updateReviewSection: { role: Role.RESPONDER, document: `mutation($id: ID!) { updateReviewSection(input: { incidentId: $id, lessons: "Alert earlier" }) { ${REVIEW} } }` },
  submitReview: { role: Role.RESPONDER, document: `mutation($id: ID!) { submitReview(input: { incidentId: $id }) { ${REVIEW} } }` },
  approveReview: { role: Role.ANALYST, document: `mutation($id: ID!) { approveReview(input: { incidentId: $id }) { ${REVIEW} } }` },
  reopenReview: { role: Role.ANALYST, document: `mutation($id: ID!) { reopenReview(input: { incidentId: $id }) { ${REVIEW} } }` },
  createCauseCategory: { role: Role.ADMIN, document: `mutation { createCauseCategory(input: { name: "Dependency upgrade" }) { causeCategory { name } } }` },
  updateCauseCategory: { role: Role.ADMIN, document: `mutation($id: ID!) { updateCauseCategory(input: { id: $id, archived: true }) { causeCategory { archived } } }` },
};
const ROLES = [Role.VIEWER, Role.RESPONDER, Role.ANALYST, Role.ADMIN];
const RANK: Record<Role, number> = { VIEWER: 0, RESPONDER: 1, ANALYST: 2, ADMIN: 3 };

describe('the Incident Record File over GraphQL', () => {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  let t: TestApp;
  let serviceId: string;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    for (const role of ROLES) tokens[role] = await t.tokenFor(role);
    serviceId = (await t.app.services.catalog.createService({ name: 'Voice', slug: 'voice' })).id;
  });
  afterAll(() => t.close());

  async function resolved(resolution: 'FIXED' | 'FALSE_POSITIVE' = 'FIXED'): Promise<string> {
    const declared = await t.gql<{ declareIncident: { incident: { id: string } } }>(
      `mutation($serviceId: ID!) { declareIncident(input: { title: "Calls dropping", serviceId: $serviceId, priority: P2 }) { incident { id } } }`,
      { serviceId },
      tokens.RESPONDER,
    );
    const id = declared.data!.declareIncident.incident.id;
    clock.advance(3 * 60_000);
    await t.gql(`mutation($id: ID!) { acknowledgeIncident(input: { id: $id }) { incident { id } } }`, { id }, tokens.RESPONDER);
    clock.advance(30 * 60_000);
    const answer = await t.gql(`mutation($id: ID!, $resolution: Resolution) { resolveIncident(input: { id: $id, resolution: $resolution }) { incident { id } } }`, { id, resolution }, tokens.RESPONDER);
    expect(answer.errors).toBeUndefined();
    return id;
  }

  /** An incident whose IRF is where `name` leaves from, with every required section filled for approveReview. */
  async function readyFor(name: string): Promise<string> {
    if (name === 'createCauseCategory') return '';
    if (name === 'updateCauseCategory') return (await t.app.services.causeCategories.create({ name: `Category ${Math.random()}` })).id;
    const id = await resolved(name === 'openReview' ? 'FALSE_POSITIVE' : 'FIXED');
    if (name === 'openReview' || name === 'updateReviewSection' || name === 'submitReview') return id;
    const actor = { type: 'TOKEN', id: 'setup', name: 'Setup' } as const;
    const [category] = await t.app.services.causeCategories.list();
    await t.app.services.reviews.updateSection(actor as never, { incidentId: id, detection: { impactStartedAt: new Date(clock.now().getTime() - 40 * 60_000) } });
    await t.app.services.reviews.updateSection(actor as never, { incidentId: id, causes: [{ kind: 'ROOT' as never, categoryId: category.id, description: 'SIP trunk flapping' }] });
    await t.app.services.reviews.updateSection(actor as never, { incidentId: id, impact: { description: 'One in five calls dropped' } });
    await t.app.services.reviews.updateSection(actor as never, { incidentId: id, mitigation: { notes: 'Moved traffic to the second trunk' } });
    await t.app.services.reviews.updateSection(actor as never, { incidentId: id, preventiveActions: { notes: 'Trunk failover drill' } });
    await t.app.services.reviews.submit(actor as never, id);
    if (name === 'reopenReview') await t.app.services.reviews.approve(actor as never, id);
    return id;
  }

  describe.each(Object.entries(MUTATIONS))('%s', (name, { role, document }) => {
    it.each(ROLES)(`as %s: allowed from ${role} up, FORBIDDEN below`, async (caller) => {
      const id = await readyFor(name);
      const answer = await t.gql<Record<string, unknown>>(document, id ? { id } : {}, tokens[caller]);
      if (RANK[caller] >= RANK[role]) {
        expect(answer.errors).toBeUndefined();
        expect(answer.data![name]).toBeTruthy();
      } else {
        expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    });
  });

  it('shows the drafted IRF on the incident with its timings, names missing sections and approves it into REVIEWED', async () => {
    const id = await resolved();
    const read = await t.gql<{ incident: { review: { status: string; missingSections: string[]; detection: { timeToAcknowledgeSeconds: number; timeToResolveSeconds: number } } } }>(
      `query($id: ID!) { incident(id: $id) { review { status missingSections detection { timeToAcknowledgeSeconds timeToResolveSeconds } } } }`,
      { id },
      tokens.VIEWER,
    );
    expect(read.data!.incident.review).toEqual({ status: 'DRAFT', missingSections: ['DETECTION', 'MITIGATION', 'CAUSES', 'IMPACT', 'PREVENTIVE_ACTIONS'], detection: { timeToAcknowledgeSeconds: 180, timeToResolveSeconds: 1980 } });
    await t.gql(`mutation($id: ID!) { submitReview(input: { incidentId: $id }) { review { status } } }`, { id }, tokens.RESPONDER);
    const refused = await t.gql(`mutation($id: ID!) { approveReview(input: { incidentId: $id }) { review { status } } }`, { id }, tokens.ANALYST);
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringContaining('DETECTION, MITIGATION, CAUSES, IMPACT, PREVENTIVE_ACTIONS'), extensions: { code: 'BAD_USER_INPUT', field: 'missingSections' } });
  });

  it('answers a review that does not exist with NOT_FOUND, and markIncidentReviewed of an incident with an IRF with CONFLICT', async () => {
    const id = await resolved();
    const missing = await t.gql(`mutation { submitReview(input: { incidentId: "00000000-0000-4000-8000-000000000000" }) { review { status } } }`, {}, tokens.RESPONDER);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const marked = await t.gql(`mutation($id: ID!) { markIncidentReviewed(input: { id: $id }) { incident { status } } }`, { id }, tokens.RESPONDER);
    expect(marked.errors?.[0]).toMatchObject({ message: expect.stringContaining('approveReview'), extensions: { code: 'CONFLICT' } });
  });
});
