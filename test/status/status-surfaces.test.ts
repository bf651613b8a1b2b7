import request from 'supertest';
import { xml2js, type ElementCompact } from 'xml-js';
import { ActorType, Audience, Priority, Vendor } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { pageLinks } from '../../src/status/page-links';
import { STATUSPAGE_V2_DOCUMENTS, summaryDocument } from '../../src/status/statuspage-v2';
import { statementsDuring } from '../support/statement-counter';
import { startTestApp, untilReady, type TestApp } from '../support/test-app';

const PATHS = [...Object.keys(STATUSPAGE_V2_DOCUMENTS).map((path) => `api/v2/${path}`), 'feed.atom', 'feed.rss'];
const ROUTES = ['/status', '/status/main', ...PATHS.flatMap((path) => [`/status/main/${path}`, `/status/${path}`])];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Material that exists around the published incident and must never reach a public route. */
const INTERNAL = {
  update: 'INTERNAL-ONLY db-7 failover in progress',
  note: 'NOTE-ONLY rolled back resolver config',
  person: 'Casey Quartermaine',
  email: 'casey.quartermaine@example.com',
  phone: '+351912345678',
  integration: 'prometheus-eu-secretname',
  label: 'LABEL-ONLY-rack-42',
  payload: 'PAYLOAD-ONLY-token-abc',
  host: 'db-internal-7.corp.example',
  privateService: 'Billing backend',
  unpublished: 'UNPUBLISHED-ONLY secret project',
  team: 'TEAM-ONLY Night Ops',
};

type Json = Record<string, unknown>;

function atomEntryIds(xml: string): string[] {
  const feed = (xml2js(xml, { compact: true }) as ElementCompact).feed as ElementCompact;
  const entries = feed.entry === undefined ? [] : Array.isArray(feed.entry) ? feed.entry : [feed.entry];
  return entries.map((entry: ElementCompact) => String((entry.id as ElementCompact)._text));
}

/** Statuspage clients over the real server: the seeded page as JSON documents and feeds. */
describe('Status page surfaces over the real reader', () => {
  const clock = new ManualClock('2026-11-30T12:00:00Z');
  let t: TestApp;
  let actor: Actor;
  let incidentId: string;
  let secret: string;
  const links = pageLinks('https://status.example.com', 'main');
  const get = (path: string) => request(t.url).get(path);

  /** Polls a route until its body satisfies `done` (a change reaches the cache through LISTEN/NOTIFY, after the commit). */
  async function until(path: string, done: (body: string) => boolean, deadlineMs = 10_000): Promise<string> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const { text } = await get(path);
      if (done(text)) return text;
      if (Date.now() > end) throw new Error(`${path} still answers ${text.slice(0, 300)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false', PUBLIC_BASE_URL: 'https://status.example.com' } });
    const services = t.app.services;
    const person = await services.catalog.createPerson({ name: INTERNAL.person, email: INTERNAL.email, phone: INTERNAL.phone });
    actor = { type: ActorType.PERSON, id: person.id, name: person.name };
    const api = await services.catalog.createService({ name: 'Checkout API', slug: 'checkout-api', public: true });
    const web = await services.catalog.createService({ name: 'Web app', slug: 'web-app', public: true });
    const hidden = await services.catalog.createService({ name: INTERNAL.privateService, slug: 'billing-backend' });
    const created = await services.integrations.create({ name: INTERNAL.integration, vendor: Vendor.GENERIC, serviceId: api.id });
    secret = created.secret;
    const delivered = await request(t.url)
      .post(`/webhooks/${created.integration.id}`)
      .set('Authorization', `Bearer ${secret}`)
      .send({
        event_action: 'trigger',
        dedup_key: 'checkout/errors',
        payload: { summary: 'Checkout errors elevated', severity: 'critical', source: INTERNAL.host, component: INTERNAL.label, custom_details: { token: INTERNAL.payload } },
      });
    expect(delivered.status).toBe(202);
    [{ id: incidentId }] = await t.app.db.query(`SELECT id FROM incident WHERE service_id = $1`, [api.id]);
    await services.incidents.acknowledge(actor, incidentId);
    await services.statusUpdates.post(actor, incidentId, 'We are investigating failed checkouts.', Audience.PUBLIC);
    await services.statusUpdates.post(actor, incidentId, INTERNAL.update, Audience.INTERNAL);
    await services.incidents.addNote(actor, incidentId, INTERNAL.note);
    await services.incidents.declare(actor, { title: INTERNAL.unpublished, serviceId: web.id, priority: Priority.P1 });
    await services.incidents.declare(actor, { title: 'Billing is down', serviceId: hidden.id, priority: Priority.P1 });
    const team = await services.teams.create({ name: INTERNAL.team, memberIds: [person.id] });
    await services.maintenance.schedule(actor, { title: 'Web app database upgrade', serviceIds: [web.id], teamId: team.id, startsAt: new Date('2026-12-10T22:00:00Z'), endsAt: new Date('2026-12-10T23:00:00Z') });
  });
  afterAll(() => t.close());

  it('serves the summary exactly as the reader sees the page, with the published incident and its PUBLIC update only', async () => {
    const page = await t.app.services.publicStatus.read('main');
    const response = await get('/status/main/api/v2/summary.json');
    expect(response.status).toBe(200);
    const summary = response.body as Json;
    expect(summary).toEqual(JSON.parse(JSON.stringify(summaryDocument(page!, links))));
    expect((summary.components as Json[]).map((component) => [component.name, component.status])).toEqual([
      ['Checkout API', 'major_outage'],
      ['Web app', 'operational'],
    ]);
    const incidents = summary.incidents as Json[];
    expect(incidents.map((incident) => [incident.name, incident.status, incident.impact])).toEqual([['Checkout errors elevated', 'identified', 'critical']]);
    expect((incidents[0].incident_updates as Json[]).map((update) => [update.status, update.body])).toEqual([['identified', 'We are investigating failed checkouts.']]);
    expect((summary.scheduled_maintenances as Json[]).map((window) => [window.name, window.status, window.scheduled_for])).toEqual([['Web app database upgrade', 'scheduled', '2026-12-10T22:00:00.000Z']]);
    expect(summary.status).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    expect((summary.page as Json).url).toBe('https://status.example.com/status/main');
  });

  it('agrees across the JSON documents and the feeds: every public update is one feed entry', async () => {
    const incidents = (await get('/status/main/api/v2/incidents.json')).body.incidents as Json[];
    const windows = (await get('/status/api/v2/scheduled-maintenances.json')).body.scheduled_maintenances as Json[];
    const updateIds = [...incidents, ...windows].flatMap((subject) => (subject.incident_updates as Json[]).map((update) => update.id as string));
    expect(updateIds).toHaveLength(2);
    const atom = atomEntryIds((await get('/status/main/feed.atom')).text);
    expect(atom.map((id) => id.replace(/^.*#update-/, '')).sort()).toEqual([...updateIds].sort());
    const rss = (await get('/status/feed.rss')).text;
    for (const id of updateIds) expect(rss).toContain(`#update-${id}</guid>`);
    expect((await get('/status/main/api/v2/components.json')).body.components).toEqual((await get('/status/api/v2/summary.json')).body.components);
    expect((await get('/status/main/api/v2/incidents/unresolved.json')).body.incidents).toEqual((await get('/status/api/v2/summary.json')).body.incidents);
  });

  it('agrees between the HTML page, the JSON and the Atom feed: the same components and states, incidents, updates and maintenance', async () => {
    const html = (await get('/status')).text;
    const summary = (await get('/status/api/v2/summary.json')).body as Json;
    const atom = atomEntryIds((await get('/status/feed.atom')).text).map((id) => id.replace(/^.*#update-/, ''));
    const idsIn = (prefix: string) => [...html.matchAll(new RegExp(`id="${prefix}-([a-z2-7]{12})"`, 'g'))].map((match) => match[1]).sort();
    const STATE_TEXT: Record<string, string> = { operational: 'Operational', degraded_performance: 'Degraded performance', partial_outage: 'Partial outage', major_outage: 'Major outage', under_maintenance: 'Under maintenance' };

    const components = (summary.components as Json[]).filter((component) => !component.group);
    expect(idsIn('component')).toEqual(components.map((component) => component.id as string).sort());
    for (const component of components) {
      const item = html.slice(html.indexOf(`id="component-${component.id}"`)).split('</li>')[0];
      expect(item).toContain(`>${component.name as string}<`);
      expect(item.toLowerCase()).toContain(STATE_TEXT[component.status as string].toLowerCase());
    }
    const incidents = summary.incidents as Json[];
    expect(idsIn('incident')).toEqual(incidents.map((incident) => incident.id as string).sort());
    const windows = summary.scheduled_maintenances as Json[];
    expect(idsIn('maintenance')).toEqual(windows.map((window) => window.id as string).sort());
    const updates = [...incidents, ...windows].flatMap((subject) => subject.incident_updates as Json[]);
    expect(idsIn('update')).toEqual(updates.map((update) => update.id as string).sort());
    for (const update of updates) expect(html.slice(html.indexOf(`id="update-${update.id}"`)).split('</li>')[0]).toContain(update.body as string);
    // The feed holds every public update the page shows (and may hold older ones the page no longer lists).
    expect(atom).toEqual(expect.arrayContaining(idsIn('update')));
    expect(html).toContain((summary.status as Json).description as string);
  });

  it('shows no internal material and no internal id on any route', async () => {
    const leaks: string[] = [];
    for (const route of [...ROUTES, '/status/nowhere/api/v2/summary.json', '/status/nowhere/feed.atom']) {
      const { text } = await get(route);
      for (const [what, value] of Object.entries({ ...INTERNAL, secret, incidentId })) if (text.includes(value)) leaks.push(`${route}: ${what}`);
      const uuid = UUID.exec(text);
      if (uuid) leaks.push(`${route}: uuid ${uuid[0]}`);
    }
    expect(leaks).toEqual([]);
  });

  it.each(ROUTES)('answers %s 304 to its ETag and to its Last-Modified', async (route) => {
    const first = await get(route);
    expect(first.status).toBe(200);
    expect((await get(route).set('If-None-Match', first.headers.etag)).status).toBe(304);
    expect((await get(route).set('If-Modified-Since', first.headers['last-modified'])).status).toBe(304);
  });

  it('shows a new PUBLIC update as soon as the change is heard, long before the cache would expire, and never an INTERNAL one', async () => {
    const before = await get('/status/main/api/v2/summary.json');
    const posted = await t.gql(`mutation($input: PostStatusUpdateInput!) { postStatusUpdate(input: $input) { statusUpdate { id } } }`, {
      input: { incidentId, body: 'INTERNAL-LATER the replica is also degraded', audience: 'INTERNAL' },
    });
    expect(posted.errors).toBeUndefined();
    await t.gql(`mutation($input: PostStatusUpdateInput!) { postStatusUpdate(input: $input) { statusUpdate { id } } }`, {
      input: { incidentId, body: 'A fix is being deployed.', audience: 'PUBLIC' },
    });
    // The clock stands still, so only the invalidation can make the new update appear.
    const summary = await until('/status/main/api/v2/summary.json', (body) => body.includes('A fix is being deployed.'));
    expect(summary).not.toContain('INTERNAL-LATER');
    const feed = await get('/status/main/feed.atom');
    expect(feed.text).toContain('A fix is being deployed.');
    expect(feed.text).not.toContain('INTERNAL-LATER');
    expect((await get('/status/main/api/v2/summary.json').set('If-None-Match', before.headers.etag)).status).toBe(200);
  });

  it('shows a service made public, and its new name, as soon as the change is heard', async () => {
    const hidden = await t.app.services.catalog.createService({ name: 'Reports', slug: 'reports' });
    await get('/status/main/api/v2/components.json');
    await t.app.services.catalog.updateService(hidden.id, { public: true });
    await until('/status/main/api/v2/components.json', (body) => body.includes('"Reports"'));
    await t.app.services.catalog.updateService(hidden.id, { name: 'Reports and exports' });
    await until('/status/main/api/v2/components.json', (body) => body.includes('"Reports and exports"'));
    await t.app.services.catalog.updateService(hidden.id, { public: false });
    await until('/status/main/api/v2/components.json', (body) => !body.includes('Reports and exports'));
  });

  it('costs one page read for 100 concurrent requests after a change', async () => {
    const statements = await statementsDuring(t.app.db, async () => {
      t.app.statusCache.invalidate();
      const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => get(i % 2 ? '/status/main/api/v2/summary.json' : '/status/main/feed.atom')));
      expect(responses.filter((response) => response.status !== 200)).toEqual([]);
    });
    expect(statements.filter((sql) => /FROM status_page WHERE slug/.test(sql))).toHaveLength(1);
  });
});

describe('Status page surfaces while the database is unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' }, throughProxy: true });
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After, then serves the page again', async () => {
    t.app.statusCache.invalidate();
    t.proxy!.cut();
    const refused = await request(t.url).get('/status/main/api/v2/status.json');
    expect([refused.status, refused.headers['retry-after'], refused.body]).toEqual([503, '5', { error: 'the status page cannot be read now; retry' }]);
    t.proxy!.restore();
    await untilReady(t);
    const served = await request(t.url).get('/status/main/api/v2/status.json');
    expect([served.status, served.body.status]).toEqual([200, { indicator: 'none', description: 'All Systems Operational' }]);
  });
});
