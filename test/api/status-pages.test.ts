import { Role } from '../../src/schema/enums';
import { startTestApp, type TestApp } from '../support/test-app';

describe('status page configuration over GraphQL', () => {
  let t: TestApp;
  let publicServiceId: string;
  let privateServiceId: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    publicServiceId = (await t.app.services.catalog.createService({ name: 'API', slug: 'api', public: true })).id;
    privateServiceId = (await t.app.services.catalog.createService({ name: 'Ledger', slug: 'ledger' })).id;
  });
  afterAll(() => t.close());

  it('has the main and the external page from the first start, showing their default sets', async () => {
    const viewer = await t.tokenFor(Role.VIEWER);
    const { data } = await t.gql<{ statusPages: Array<{ slug: string; kind: string; configured: boolean; url: string; components: Array<{ service: { name: string } }> }> }>(
      `{ statusPages { slug kind configured url components { service { name } } } }`,
      {},
      viewer,
    );
    expect(data?.statusPages.map((page) => [page.slug, page.kind, page.configured, page.components.map((component) => component.service.name)])).toEqual([
      ['external', 'PROVIDERS', false, []],
      ['main', 'SERVICES', false, ['API']],
    ]);
    expect(data?.statusPages[1].url).toMatch(/\/status\/main$/);
  });

  it('lets only an ADMIN create and change pages, and names the field at fault', async () => {
    const create = `mutation($input: CreateStatusPageInput!) { createStatusPage(input: $input) { statusPage { id slug timeZone components { group position service { id } } } } }`;
    const responder = await t.tokenFor(Role.RESPONDER);
    const refused = await t.gql(create, { input: { slug: 'partners', title: 'Partners' } }, responder);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    for (const [input, field] of [
      [{ slug: 'Not A Slug', title: 'x' }, 'slug'],
      [{ slug: 'partners', title: 'x', timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ slug: 'partners', title: 'x', components: [{ serviceId: privateServiceId }] }, 'components[0].serviceId'],
      [{ slug: 'partners', title: 'x', components: [{ serviceId: publicServiceId }, { serviceId: publicServiceId }] }, 'components[1].serviceId'],
    ] as const) {
      const bad = await t.gql(create, { input });
      expect([bad.errors?.[0].extensions?.code, bad.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
    }
    const { data } = await t.gql<{ createStatusPage: { statusPage: { id: string; slug: string; timeZone: string; components: unknown[] } } }>(create, {
      input: { slug: 'partners', title: 'Partners', timeZone: 'Europe/Lisbon', components: [{ serviceId: publicServiceId, group: 'Core' }] },
    });
    expect(data?.createStatusPage.statusPage).toMatchObject({ slug: 'partners', timeZone: 'Europe/Lisbon', components: [{ group: 'Core', position: 0, service: { id: publicServiceId } }] });
    const taken = await t.gql(create, { input: { slug: 'partners', title: 'Again' } });
    expect(taken.errors?.[0].extensions?.code).toBe('CONFLICT');

    const pages = await t.gql<{ statusPages: Array<{ id: string; slug: string }> }>(`{ statusPages { id slug } }`);
    const main = pages.data!.statusPages.find((page) => page.slug === 'main')!;
    const rename = await t.gql(`mutation($input: UpdateStatusPageInput!) { updateStatusPage(input: $input) { statusPage { slug } } }`, { input: { id: main.id, slug: 'home' } });
    expect(rename.errors?.[0].extensions?.field).toBe('slug');
  });

  it('takes component impacts on an incident, names a bad one and writes nothing then', async () => {
    const declare = `mutation($input: DeclareIncidentInput!) { declareIncident(input: $input) { incident { id componentImpacts { impact service { name } } } } }`;
    const before = await t.app.db.query(`SELECT count(*)::int AS n FROM incident`);
    const bad = await t.gql(declare, { input: { title: 'Bad', serviceId: privateServiceId, priority: 'P2', componentImpacts: [{ serviceId: '00000000-0000-4000-8000-000000000000', impact: 'MAJOR_OUTAGE' }] } });
    expect([bad.errors?.[0].extensions?.code, bad.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'componentImpacts[0].serviceId']);
    expect(await t.app.db.query(`SELECT count(*)::int AS n FROM incident`)).toEqual(before);

    const { data } = await t.gql<{ declareIncident: { incident: { id: string; componentImpacts: unknown[] } } }>(declare, {
      input: { title: 'Ledger lag shows on the API', serviceId: privateServiceId, priority: 'P2', componentImpacts: [{ serviceId: publicServiceId, impact: 'DEGRADED_PERFORMANCE' }] },
    });
    expect(data?.declareIncident.incident.componentImpacts).toEqual([{ impact: 'DEGRADED_PERFORMANCE', service: { name: 'API' } }]);
    const cleared = await t.gql<{ updateIncident: { incident: { componentImpacts: unknown[] } } }>(
      `mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { incident { componentImpacts { impact } } } }`,
      { input: { id: data!.declareIncident.incident.id, componentImpacts: [] } },
    );
    expect(cleared.data?.updateIncident.incident.componentImpacts).toEqual([]);
  });
});
