import { ActorType, Audience, ComponentImpact, ComponentState, IncidentSource, Priority, StatusPageKind } from '../../../src/schema/enums';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { insertWindowInProgress } from '../../support/fixtures-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const responder: Actor = { type: ActorType.SYSTEM, id: null, name: 'Casey Responder' };

describe('the public status reader', () => {
  const clock = new ManualClock(new Date('2026-11-30T12:00:00Z'));
  let t: TestApp;
  const services = () => t.app.services;
  let api: { id: string };
  let web: { id: string };
  let secret: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    api = await services().catalog.createService({ name: 'API', slug: 'api', public: true });
    web = await services().catalog.createService({ name: 'Web app', slug: 'web', public: true });
    secret = await services().catalog.createService({ name: 'Billing backend', slug: 'billing' });
  });
  afterAll(() => t.close());

  async function declare(title: string, serviceId: string, priority: Priority, extra: Record<string, unknown> = {}) {
    return services().incidents.declare(responder, { title, serviceId, priority, ...extra });
  }

  it('shows every public service on the main page until it is configured, and never a private one', async () => {
    const page = await services().publicStatus.read('main');
    expect(page?.components.map((component) => component.name)).toEqual(['API', 'Web app']);
    expect(page?.components.every((component) => component.state === ComponentState.OPERATIONAL)).toBe(true);
    expect(page?.indicator).toBe('none');
    expect(page?.indicatorDescription).toBe('All Systems Operational');
    expect(JSON.stringify(page)).not.toContain(api.id);
    expect(await services().publicStatus.read('no-such-page')).toBeNull();
  });

  it('derives states from published incidents only, by priority or as stated per component', async () => {
    const unpublished = await declare('Unpublished P1', api.id, Priority.P1);
    let page = await services().publicStatus.read('main');
    expect(page?.components.find((component) => component.name === 'API')?.state).toBe(ComponentState.OPERATIONAL);
    expect(await services().publicStatus.incident(unpublished.id)).toBeNull();

    await services().statusUpdates.post(responder, unpublished.id, 'We are looking into errors on the API.', Audience.PUBLIC);
    await services().statusUpdates.post(responder, unpublished.id, 'INTERNAL: db-7 is on fire', Audience.INTERNAL);
    clock.advance(60_000);
    const stated = await declare('Slow pages', secret.id, Priority.P3, { componentImpacts: [{ serviceId: web.id, impact: ComponentImpact.PARTIAL_OUTAGE }] });
    await services().statusUpdates.post(responder, stated.id, 'Pages load slowly.', Audience.PUBLIC);

    page = await services().publicStatus.read('main');
    const states = Object.fromEntries(page!.components.map((component) => [component.name, component.state]));
    expect(states).toEqual({ API: ComponentState.MAJOR_OUTAGE, 'Web app': ComponentState.PARTIAL_OUTAGE });
    expect(page?.indicator).toBe('critical');
    expect(page?.activeIncidents.map((incident) => incident.title)).toEqual(['Slow pages', 'Unpublished P1']);
    const apiIncident = page!.activeIncidents.find((incident) => incident.title === 'Unpublished P1')!;
    expect(apiIncident.updates.map((update) => [update.body, update.status])).toEqual([['We are looking into errors on the API.', 'investigating']]);
    expect(apiIncident.impact).toBe('critical');
    expect(page!.activeIncidents.find((incident) => incident.title === 'Slow pages')!.components.map((component) => [component.name, component.impact])).toEqual([
      ['Web app', ComponentState.PARTIAL_OUTAGE],
    ]);
    const text = JSON.stringify(page);
    expect(text).not.toContain('db-7');
    expect(text).not.toContain('Billing backend');
    expect(text).not.toContain('Casey');

    // Mitigated: still listed (monitoring), no longer degrading; resolved: gone from the active list.
    clock.advance(30 * 60_000);
    await services().incidents.acknowledge(responder, unpublished.id);
    await services().incidents.mitigate(responder, unpublished.id);
    await services().incidents.acknowledge(responder, stated.id);
    await services().incidents.mitigate(responder, stated.id);
    await services().incidents.resolve(responder, stated.id);
    page = await services().publicStatus.read('main');
    expect(page?.components.map((component) => component.state)).toEqual([ComponentState.OPERATIONAL, ComponentState.OPERATIONAL]);
    expect(page?.activeIncidents.map((incident) => [incident.title, incident.status])).toEqual([['Unpublished P1', 'monitoring']]);
    expect(page?.indicator).toBe('minor');
    expect(page?.recentIncidents.map((incident) => incident.title)).toEqual(['Slow pages', 'Unpublished P1']);

    // Today's bar: 30 minutes of major outage on the API.
    const today = page!.components.find((component) => component.name === 'API')!.history.at(-1)!;
    expect(today).toMatchObject({ date: '2026-11-30', worstState: ComponentState.MAJOR_OUTAGE, outageSeconds: { major: 1860, partial: 0 } });
    expect(today.uptimePercent).toBeCloseTo(100 * (1 - 1860 / 86400), 2);
    expect(today.incidents.map((incident) => incident.title)).toEqual(['Unpublished P1']);
    await services().incidents.resolve(responder, unpublished.id);
  });

  it('puts a component under maintenance while a window with impact on it is in progress', async () => {
    const windowId = await insertWindowInProgress(t.app.db, web.id);
    const page = await services().publicStatus.read('main');
    expect(page?.components.find((component) => component.name === 'Web app')?.state).toBe(ComponentState.UNDER_MAINTENANCE);
    expect(page?.indicator).toBe('maintenance');
    expect(page?.activeMaintenances.map((window) => [window.title, window.status, window.components.map((component) => component.name)])).toEqual([['Patch night', 'in_progress', ['Web app']]]);
    expect(page!.activeMaintenances[0].updates.map((update) => [update.status, update.body])).toEqual([
      ['in_progress', 'Maintenance is in progress.'],
      ['scheduled', expect.stringMatching(/^Scheduled for \d{4}-\d\d-\d\d \d\d:\d\d(–| – \d{4}-\d\d-\d\d )\d\d:\d\d UTC\.$/)],
    ]);
    await t.app.db.query(`UPDATE maintenance_window SET status = 'COMPLETED', completed_at = now() WHERE id = $1`, [windowId]);
  });

  it('shows a configured page its components in groups, and a PROVIDERS page only provider incidents with their link', async () => {
    const page = await services().statusPages.create({ slug: 'partners', title: 'Partners', components: [{ serviceId: web.id, group: 'Front', position: 1 }, { serviceId: api.id, group: 'Front', position: 0 }] });
    const read = await services().publicStatus.read('partners');
    expect(read?.components.map((component) => [component.group, component.name])).toEqual([['Front', 'API'], ['Front', 'Web app']]);
    await expect(services().statusPages.create({ slug: 'bad', title: 'Bad', components: [{ serviceId: secret.id }] })).rejects.toMatchObject({ field: 'components[0].serviceId' });
    await services().statusPages.update(page.id, { components: [] });
    expect((await services().publicStatus.read('partners'))?.components).toHaveLength(2);

    const azure = await services().catalog.createService({ name: 'Azure', slug: 'azure', public: true });
    const external = (await services().statusPages.list()).find((candidate) => candidate.slug === 'external')!;
    await services().statusPages.update(external.id, { components: [{ serviceId: azure.id, providerName: 'Microsoft Azure', providerUrl: 'https://status.azure.com' }] });
    const provider = await declare('Azure Front Door degraded', azure.id, Priority.P2, { source: IncidentSource.PROVIDER });
    await declare('Our own, unpublished', azure.id, Priority.P1);
    const externalPage = await services().publicStatus.read('external');
    expect(externalPage?.kind).toBe(StatusPageKind.PROVIDERS);
    expect(externalPage?.components.map((component) => [component.name, component.state, component.provider])).toEqual([
      ['Azure', ComponentState.PARTIAL_OUTAGE, { name: 'Microsoft Azure', url: 'https://status.azure.com' }],
    ]);
    expect(externalPage?.activeIncidents.map((incident) => [incident.title, incident.provider])).toEqual([
      ['Azure Front Door degraded', { name: 'Microsoft Azure', url: 'https://status.azure.com' }],
    ]);
    expect((await services().publicStatus.read('main'))?.activeIncidents.map((incident) => incident.title)).not.toContain('Azure Front Door degraded');
    expect(await services().publicStatus.pageSlugsShowing([azure.id], StatusPageKind.PROVIDERS)).toEqual(['external']);
    expect(provider.id).toBeDefined();
  });
});
