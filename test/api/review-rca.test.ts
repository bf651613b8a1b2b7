import { ActorType, Audience, CauseKind, IncidentSource, Priority, RcaStatus, Role, SectionVisibility } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { ErrorCode } from '../../src/shared/domain-error';
import { startTestApp, type TestApp } from '../support/test-app';
import { readUntil } from '../../scripts/support/wait';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };
const rui: Actor = { type: ActorType.TOKEN, id: 'token-rui', name: 'Rui Analyst' };
const ROLES = [Role.VIEWER, Role.RESPONDER, Role.ANALYST, Role.ADMIN];
const RANK: Record<Role, number> = { VIEWER: 0, RESPONDER: 1, ANALYST: 2, ADMIN: 3 };
const INTERNAL_SECRET = 'db-primary-7 credentials rotated by hand';

describe('the RCA document', () => {
  const clock = new ManualClock('2026-04-06T09:00:00Z');
  let t: TestApp;
  let serviceId: string;
  let categoryId: string;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    for (const role of ROLES) tokens[role] = await t.tokenFor(role);
    serviceId = (await t.app.services.catalog.createService({ name: 'HTTP API', slug: 'http-api' })).id;
    categoryId = (await t.app.services.causeCategories.list())[0].id;
  });
  afterAll(() => t.close());

  /** A resolved incident with its IRF filled in and submitted (IN_REVIEW). */
  async function reviewedIncident(source = IncidentSource.MONITORING, onService = serviceId, beforeResolving: (incidentId: string) => Promise<unknown> = async () => {}): Promise<string> {
    const incident = await t.app.services.incidents.declare(ana, { title: 'API 5xx <b>spike</b>', serviceId: onService, priority: Priority.P1, source });
    await beforeResolving(incident.id);
    clock.advance(5 * 60_000);
    await t.app.services.incidents.resolve(ana, incident.id);
    const { reviews } = t.app.services;
    await reviews.updateSection(ana, { incidentId: incident.id, summary: 'Failover left the API on a **read-only** replica.' });
    await reviews.updateSection(ana, { incidentId: incident.id, detection: { impactStartedAt: new Date(clock.now().getTime() - 10 * 60_000), notes: INTERNAL_SECRET } });
    await reviews.updateSection(ana, { incidentId: incident.id, causes: [{ kind: CauseKind.ROOT, categoryId, description: 'Replica promoted without write access' }] });
    await reviews.updateSection(ana, { incidentId: incident.id, mitigation: { notes: 'Promoted the healthy primary' } });
    await reviews.updateSection(ana, { incidentId: incident.id, impact: { description: 'Writes failed for 12 minutes' } });
    await reviews.updateSection(ana, { incidentId: incident.id, preventiveActions: { notes: 'Failover drill monthly' } });
    await reviews.submit(ana, incident.id);
    return incident.id;
  }

  it('is generated from the IRF in the reference structure, each section public or internal', async () => {
    const incidentId = await reviewedIncident();
    const { document, sections } = await t.app.services.rcas.generate(ana, incidentId);
    expect(document.status).toBe(RcaStatus.DRAFT);
    expect(sections.map((section) => [section.key, section.visibility])).toEqual([
      ['summary', 'PUBLIC'],
      ['timeline', 'PUBLIC'],
      ['detection', 'INTERNAL'],
      ['root-cause', 'PUBLIC'],
      ['impact', 'PUBLIC'],
      ['mitigation', 'PUBLIC'],
      ['preventive-actions', 'INTERNAL'],
      ['lessons', 'INTERNAL'],
    ]);
    expect(sections.find((section) => section.key === 'detection')!.body).toContain('- Time to detect: 5 min');
    expect(sections.find((section) => section.key === 'root-cause')!.body).toContain('Replica promoted without write access');
    await expect(t.app.services.rcas.generate(ana, incidentId)).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
  });

  it('is refused for an external-origin incident and for an IRF still in DRAFT', async () => {
    const external = await reviewedIncident(IncidentSource.PROVIDER);
    await expect(t.app.services.rcas.generate(ana, external)).rejects.toMatchObject({ code: ErrorCode.CONFLICT, field: 'origin' });
    const draft = await t.app.services.incidents.declare(ana, { title: 'Draft only', serviceId, priority: Priority.P3 });
    await t.app.services.incidents.resolve(ana, draft.id);
    await expect(t.app.services.rcas.generate(ana, draft.id)).rejects.toMatchObject({ code: ErrorCode.CONFLICT, message: expect.stringContaining('DRAFT') });
  });

  it('is edited, published as version 1, edited again into a draft of version 2 that the public view does not show, then published and compared', async () => {
    const incidentId = await reviewedIncident();
    await t.app.services.rcas.generate(ana, incidentId);
    await t.app.services.rcas.update(ana, { incidentId, sections: [{ key: 'summary', body: 'First public summary.' }] });
    await t.app.services.rcas.submit(ana, incidentId);
    const published = await t.app.services.rcas.publish(rui, incidentId);
    expect(published.document).toMatchObject({ status: RcaStatus.PUBLISHED, publishedVersion: 1 });
    const publicId = published.document.publicId!;

    const edited = await t.app.services.rcas.update(ana, { incidentId, sections: [{ key: 'summary', body: 'Second public summary.' }, { key: 'customer-faq', title: 'Questions', body: 'Why?', visibility: SectionVisibility.PUBLIC }] });
    expect(edited.document.status).toBe(RcaStatus.DRAFT);
    expect((await t.app.services.rcas.publicView(publicId))!.sections.find((section) => section.key === 'summary')!.body).toBe('First public summary.');

    await t.app.services.rcas.submit(ana, incidentId);
    await t.app.services.rcas.publish(rui, incidentId);
    expect((await t.app.services.rcas.versions(incidentId)).nodes.map((version) => [version.version, version.publishedByName])).toEqual([
      [2, 'Rui Analyst'],
      [1, 'Rui Analyst'],
    ]);
    const firstPage = await t.app.services.rcas.versions(incidentId, { first: 1 });
    expect([firstPage.nodes.map((version) => version.version), firstPage.hasNextPage, await firstPage.totalCount()]).toEqual([[2], true, 2]);
    const secondPage = await t.app.services.rcas.versions(incidentId, { first: 1, after: firstPage.cursors[0] });
    expect([secondPage.nodes.map((version) => version.version), secondPage.hasNextPage]).toEqual([[1], false]);
    const comparison = await t.app.services.rcas.compare(incidentId, 1, 2);
    expect(comparison.sections.map((section) => [section.key, section.change])).toEqual([
      ['summary', 'CHANGED'],
      ['customer-faq', 'ADDED'],
    ]);
    expect(comparison.sections[0].bodyDiff).toContain('-First public summary.');
    expect(comparison.sections[0].bodyDiff).toContain('+Second public summary.');
    await expect(t.app.services.rcas.compare(incidentId, 1, 9)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });

  it('shows only the published PUBLIC sections on the public view, rendered safe, and every section on the printable view with a token', async () => {
    const incidentId = await reviewedIncident();
    await t.app.services.rcas.generate(ana, incidentId);
    await t.app.services.rcas.update(ana, {
      incidentId,
      sections: [
        { key: 'summary', body: 'Safe **text** <script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) <a href="#" onclick="alert(4)">x</a>' },
        { key: 'lessons', body: `Internal: ${INTERNAL_SECRET}` },
      ],
    });
    await t.app.services.rcas.submit(ana, incidentId);
    const { document } = await t.app.services.rcas.publish(rui, incidentId);

    const page = await fetch(`${t.url}/status/rca/${document.publicId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('etag')).toBeTruthy();
    const html = await page.text();
    expect(html).toContain('<strong>text</strong>');
    expect(html).toContain('Mitigation and resolution');
    // The author's HTML shows as text (escaped); what must not exist is a tag that runs anything.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
    expect(html).toContain('&lt;script&gt;');
    for (const internal of [INTERNAL_SECRET, 'Lessons learned', 'Detection', 'Preventive actions', 'Failover drill monthly']) expect(html).not.toContain(internal);

    const unpublished = await fetch(`${t.url}/status/rca/aaaaaaaaaaaa`);
    expect(unpublished.status).toBe(404);

    expect((await fetch(`${t.url}/rca/${incidentId}/print`)).status).toBe(401);
    const print = await fetch(`${t.url}/rca/${incidentId}/print`, { headers: { authorization: `Bearer ${tokens.VIEWER}` } });
    expect(print.status).toBe(200);
    const printed = await print.text();
    expect(printed).toContain(INTERNAL_SECRET);
    expect(printed).toContain('<span class="rca-badge">Internal</span>');
    expect(printed).not.toContain('<script');
  });

  it('is linked from the status page once published, as the public view of its PUBLIC sections', async () => {
    const publicService = (await t.app.services.catalog.createService({ name: 'Public API', slug: 'public-api', public: true })).id;
    const incidentId = await reviewedIncident(IncidentSource.MONITORING, publicService, (id) =>
      t.app.services.statusUpdates.post(ana, id, 'We are looking into errors on the API.', Audience.PUBLIC),
    );
    await t.app.services.rcas.generate(ana, incidentId);
    await t.app.services.rcas.submit(ana, incidentId);
    const before = await (await fetch(`${t.url}/status`)).text();
    expect(before).not.toContain('/status/rca/');
    const { document } = await t.app.services.rcas.publish(rui, incidentId);
    // The page cache is dropped when this server hears the publish's change, a moment after its commit.
    const link = `href="/status/rca/${document.publicId}"`;
    const page = await readUntil(async () => (await fetch(`${t.url}/status`)).text(), (html) => html.includes(link), 5000);
    expect(page).toContain(link);
    expect(page).toContain('Root cause analysis: API 5xx &lt;b&gt;spike&lt;/b&gt;');
  });

  it.each([
    ['generateRca', Role.RESPONDER],
    ['updateRca', Role.RESPONDER],
    ['submitRca', Role.RESPONDER],
    ['publishRca', Role.ANALYST],
  ])('%s: allowed from %s up, FORBIDDEN below', async (name, role) => {
    for (const caller of ROLES) {
      const incidentId = await reviewedIncident();
      if (name !== 'generateRca') await t.app.services.rcas.generate(ana, incidentId);
      if (name === 'publishRca') await t.app.services.rcas.submit(ana, incidentId);
      const input = name === 'updateRca' ? `{ incidentId: $id, title: "Edited by ${caller}" }` : '{ incidentId: $id }';
      const answer = await t.gql<Record<string, { rca: { status: string; sections: Array<{ html: string }> } }>>(
        `mutation($id: ID!) { ${name}(input: ${input}) { rca { status sections { html } } } }`,
        { id: incidentId },
        tokens[caller],
      );
      if (RANK[caller] >= RANK[role]) {
        expect([caller, answer.errors]).toEqual([caller, undefined]);
        expect(answer.data![name].rca.sections.length).toBeGreaterThan(0);
      } else {
        expect([caller, answer.errors?.[0].extensions?.code]).toEqual([caller, 'FORBIDDEN']);
      }
    }
  });

  it('reads the RCA on the incident, its versions and a comparison over GraphQL', async () => {
    const incidentId = await reviewedIncident();
    await t.app.services.rcas.generate(ana, incidentId);
    await t.app.services.rcas.submit(ana, incidentId);
    await t.app.services.rcas.publish(rui, incidentId);
    await t.app.services.rcas.update(ana, { incidentId, title: 'Renamed' });
    const answer = await t.gql<{ incident: { rca: { status: string; publishedVersion: number; publicPath: string } }; rcaVersions: { totalCount: number; edges: Array<{ node: { version: number } }> }; compareRcaVersions: { titleTo: string } }>(
      `query($id: ID!) { incident(id: $id) { rca { status publishedVersion publicPath } } rcaVersions(incidentId: $id) { totalCount edges { node { version } } } compareRcaVersions(incidentId: $id, from: 1) { titleTo } }`,
      { id: incidentId },
      tokens.VIEWER,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.incident.rca).toMatchObject({ status: 'DRAFT', publishedVersion: 1, publicPath: expect.stringMatching(/^\/status\/rca\/[a-z2-7]{12}$/) });
    expect(answer.data!.rcaVersions).toEqual({ totalCount: 1, edges: [{ node: { version: 1 } }] });
    expect(answer.data!.compareRcaVersions.titleTo).toBe('Renamed');
  });
});
