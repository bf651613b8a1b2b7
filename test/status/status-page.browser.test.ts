import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActorType, Audience, ComponentImpact, MaintenanceImpact, Priority } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { launchChromium, testOutputDir } from '../support/chromium';
import { startTestApp, type TestApp } from '../support/test-app';
import { auditPage, backgroundColorOf, headingProblems } from './page-audit';

const responder: Actor = { type: ActorType.SYSTEM, id: null, name: 'Casey Responder' };
const NOW = new Date('2026-11-30T14:05:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * /status of a real server on its own database, seeded through the services as an operator would (public services in
 * groups, a published incident with an internal note beside its public updates, earlier incidents, a scheduled
 * maintenance window), in headless Chromium with JavaScript off: the page must work without it.
 */
describe('the status page in a real browser', () => {
  const clock = new ManualClock(NOW);
  const output = testOutputDir('status');
  let t: TestApp;
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;
  const serviceIds: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    const { catalog, incidents, statusUpdates, statusPages, maintenance, teams } = t.app.services;
    for (const [key, name] of [
      ['api', 'Checkout API'],
      ['web', 'Web shop'],
      ['notifications', 'Notifications'],
      ['reports', 'Reporting'],
    ]) {
      serviceIds[key] = (await catalog.createService({ name, slug: key, public: true })).id;
    }
    serviceIds.ledger = (await catalog.createService({ name: 'Ledger internals', slug: 'ledger' })).id;
    const main = (await statusPages.list()).find((candidate) => candidate.slug === 'main')!;
    await statusPages.update(main.id, {
      title: 'Acme Shop Status',
      description: 'Live status of the Acme web shop and its APIs.',
      timeZone: 'Europe/Lisbon',
      components: [
        { serviceId: serviceIds.api, group: 'Shop', position: 0 },
        { serviceId: serviceIds.web, group: 'Shop', position: 1 },
        { serviceId: serviceIds.notifications, group: 'Messaging', position: 0 },
        { serviceId: serviceIds.reports, position: 0 },
      ],
    });

    // Earlier incidents, resolved: they colour days of the 90-day bars.
    for (const [daysAgo, serviceId, priority, title, minutes] of [
      [41, serviceIds.web, Priority.P1, 'Web shop unavailable', 95],
      [17, serviceIds.api, Priority.P3, 'Slow checkout', 240],
    ] as const) {
      clock.set(new Date(NOW.getTime() - daysAgo * DAY));
      const earlier = await incidents.declare(responder, { title, serviceId, priority });
      await statusUpdates.post(responder, earlier.id, `${title}: we are investigating.`, Audience.PUBLIC);
      clock.advance(minutes * MINUTE);
      await incidents.resolve(responder, earlier.id);
    }

    clock.set(new Date(NOW.getTime() - 50 * MINUTE));
    const active = await incidents.declare(responder, {
      title: 'Elevated error rates at checkout',
      serviceId: serviceIds.api,
      priority: Priority.P2,
      componentImpacts: [
        { serviceId: serviceIds.api, impact: ComponentImpact.PARTIAL_OUTAGE },
        { serviceId: serviceIds.web, impact: ComponentImpact.DEGRADED_PERFORMANCE },
      ],
    });
    await statusUpdates.post(responder, active.id, 'Some card payments fail with an error. We are investigating.', Audience.PUBLIC);
    clock.advance(25 * MINUTE);
    await incidents.acknowledge(responder, active.id);
    await statusUpdates.post(responder, active.id, 'INTERNAL: pg-3 replica lag 40 s, paging Casey', Audience.INTERNAL);
    await statusUpdates.post(responder, active.id, 'A payment provider times out. We are moving traffic to the second provider.', Audience.PUBLIC);

    clock.set(NOW);
    const team = await teams.create({ name: 'Messaging team' });
    await maintenance.schedule(responder, {
      title: 'Notification queue upgrade',
      description: 'E-mail and SMS notifications may arrive up to 10 minutes late.',
      serviceIds: [serviceIds.notifications],
      teamId: team.id,
      startsAt: new Date('2026-12-05T23:00:00Z'),
      endsAt: new Date('2026-12-06T01:00:00Z'),
      impact: [{ serviceId: serviceIds.notifications, impact: MaintenanceImpact.DEGRADED }],
    });

    browser = await launchChromium();
    desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    page = await desktop.newPage();
    const response = await page.goto(`${t.url}/status`);
    expect(response?.status()).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the page, its overall state and every component with its state in words', async () => {
    await page.screenshot({ path: join(output, 'status-desktop.png'), fullPage: true });
    // The README's picture (docs/status-page.png is a copy): the page's column, from the header to the components' end.
    const column = (await page.locator('.site-header .wrap').boundingBox())!;
    const components = (await page.locator('#components').boundingBox())!;
    const clip = { x: column.x - 32, y: 0, width: column.width + 64, height: Math.ceil(components.y + components.height + 24) };
    await page.screenshot({ path: join(output, 'status-readme.png'), fullPage: true, clip });
    expect(await page.title()).toBe('Acme Shop Status');
    await page.getByRole('heading', { level: 1, name: 'Acme Shop Status' }).waitFor();
    expect(await page.locator('.banner h2').textContent()).toBe('Partial System Outage');
    const rows = await page.locator('.component-head').evaluateAll((heads) => heads.map((head) => head.textContent?.replace(/\s+/g, ' ').trim()));
    // In the reader's order: ungrouped components first, then groups by name.
    expect(rows).toEqual(['Reporting Operational', 'Notifications Operational', 'Checkout API Partial outage', 'Web shop Degraded performance']);
    expect(await page.locator('.group-head h3').allTextContents()).toEqual(['Messaging', 'Shop']);
    expect(await page.content()).not.toContain('Ledger internals');
  });

  it('shows the active incident with its public updates, newest first, in the page zone, and no internal note', async () => {
    const incident = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Elevated error rates at checkout' }) });
    const updates = incident.locator('.updates li');
    expect(await updates.count()).toBe(2);
    expect(await updates.nth(0).locator('.body').textContent()).toBe('Identified A payment provider times out. We are moving traffic to the second provider.');
    expect(await updates.nth(1).locator('.body').textContent()).toBe('Investigating Some card payments fail with an error. We are investigating.');
    // 13:15 UTC, in Lisbon in winter (WET = UTC).
    expect(await updates.nth(1).locator('time').getAttribute('datetime')).toBe('2026-11-30T13:15:00.000Z');
    expect(await updates.nth(1).locator('time').textContent()).toBe('30 Nov 2026, 13:15 WET');
    expect(await incident.locator('.affected').textContent()).toMatch(/Checkout API:\s*Partial outage\s*Web shop:\s*Degraded performance/);
    const text = await page.locator('body').textContent();
    for (const internal of ['pg-3', 'Casey']) expect(text).not.toContain(internal);
  });

  it('shows the upcoming maintenance with its window and the component it affects', async () => {
    const window = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Notification queue upgrade' }) });
    expect(await window.locator('.badge').textContent()).toBe('Scheduled');
    expect(await window.locator('.meta time').allTextContents()).toEqual(['5 Dec 2026, 23:00 WET', '6 Dec 2026, 01:00 WET']);
    expect(await window.locator('.description p').textContent()).toBe('E-mail and SMS notifications may arrive up to 10 minutes late.');
    expect(await window.locator('.affected li').allTextContents()).toEqual(['Notifications: Degraded performance']);
  });

  it('draws the 90 days of each component, earlier outages in their colour and words', async () => {
    const web = page.locator('.component').filter({ hasText: 'Web shop' });
    const days = web.locator('ol.bars li');
    expect(await days.count()).toBe(90);
    expect(await days.nth(89 - 41).getAttribute('title')).toBe('20 Oct 2026: 93.40% uptime, major outage. Incidents: Web shop unavailable.');
    expect(await days.nth(89 - 41).getAttribute('class')).toBe('tone-major');
    expect(await days.nth(89).getAttribute('class')).toBe('tone-degraded');
  });

  it('looks right on a phone', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, javaScriptEnabled: false });
    try {
      const small = await phone.newPage();
      await small.goto(`${t.url}/status`);
      await small.screenshot({ path: join(output, 'status-phone.png'), fullPage: true });
      const audit = await small.evaluate(auditPage);
      expect({ overflowX: audit.overflowX, lowContrast: audit.lowContrast, colourOnly: audit.colourOnly, unlabelled: audit.unlabelled }).toEqual({ overflowX: 0, lowContrast: [], colourOnly: [], unlabelled: [] });
      expect(headingProblems(audit.headings)).toEqual([]);
      const shown = await small.locator('.component').first().locator('ol.bars li').evaluateAll((items) => items.filter((item) => item.getBoundingClientRect().width > 0).length);
      expect(shown).toBe(30);
    } finally {
      await phone.close();
    }
  });

  it("submits the subscribe form as a form-encoded POST to /status/main/subscribers, lands on the 'check your inbox' page, and a pending subscriber exists", async () => {
    const api = await t.app.services.publicStatus.componentServiceIds('main');
    const publicIdOf = new Map([...api!].map(([publicId, serviceId]) => [serviceId, publicId]));
    await page.getByLabel('E-mail', { exact: true }).check();
    await page.getByLabel('Address', { exact: true }).fill('ops-watchers@example.com');
    await page.getByLabel('Checkout API', { exact: true }).check();
    await page.getByLabel('Notifications', { exact: true }).check();
    const [posted] = await Promise.all([page.waitForRequest((sent) => sent.method() === 'POST'), page.getByRole('button', { name: 'Subscribe' }).click()]);
    expect(new URL(posted.url()).pathname).toBe('/status/main/subscribers');
    expect(posted.headers()['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(posted.postData() ?? '');
    expect(form.get('channel')).toBe('EMAIL');
    expect(form.get('address')).toBe('ops-watchers@example.com');
    expect(form.getAll('components')).toEqual([publicIdOf.get(serviceIds.notifications), publicIdOf.get(serviceIds.api)]);
    expect(form.get('secret')).toBe('');

    const answered = await posted.response();
    expect(answered?.status()).toBe(202);
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
    expect(await page.title()).toBe('Check your inbox · Acme Shop Status');
    expect(await page.locator('main p').allTextContents()).toEqual([
      'Acme Shop Status',
      'Check your inbox: we sent this address an e-mail saying what to do next. Nothing else is sent to it unless its owner confirms.',
      'Back to Acme Shop Status',
    ]);
    await expectStatusStyle();
    const rows = await subscribers('ops-watchers@example.com');
    expect(rows).toEqual([{ channel: 'EMAIL', service_ids: [serviceIds.api, serviceIds.notifications].sort(), confirmed_at: null, unsubscribed_at: null }]);
  });

  it("opens the e-mail's unsubscribe link, which only asks (the subscriber stays), and its button unsubscribes", async () => {
    // The link in the confirmation e-mail the subscribe form queued (jobs are off here, so it waits in the outbox).
    const [queued]: Array<{ data: { unsubscribeUrl: string } }> = await t.app.db.query(`SELECT data FROM notification WHERE address = 'ops-watchers@example.com'`);
    const link = new URL(queued.data.unsubscribeUrl);
    const opened = await page.goto(`${t.url}${link.pathname}${link.search}`);
    expect(opened?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Unsubscribe o•••@example.com from Acme Shop Status?' }).waitFor();
    await page.screenshot({ path: join(output, 'status-unsubscribe.png'), fullPage: true });
    await expectStatusStyle();
    const audit = await page.evaluate(auditPage);
    expect({ mains: audit.mains, overflowX: audit.overflowX, lowContrast: audit.lowContrast, unlabelled: audit.unlabelled }).toEqual({ mains: 1, overflowX: 0, lowContrast: [], unlabelled: [] });
    expect(await subscribers('ops-watchers@example.com')).toEqual([expect.objectContaining({ unsubscribed_at: null })]);

    const [posted] = await Promise.all([page.waitForRequest((sent) => sent.method() === 'POST'), page.getByRole('button', { name: 'Unsubscribe' }).click()]);
    expect(new URL(posted.url()).pathname + new URL(posted.url()).search).toBe(`${link.pathname}${link.search}`);
    await page.getByRole('heading', { level: 1, name: 'Unsubscribed' }).waitFor();
    expect(await page.locator('main p').nth(1).textContent()).toBe('You will get no more updates from Acme Shop Status at this address.');
    expect(await subscribers('ops-watchers@example.com')).toEqual([expect.objectContaining({ unsubscribed_at: clock.now() })]);
  });

  const subscribers = (address: string): Promise<Array<{ channel: string; service_ids: string[]; confirmed_at: Date | null; unsubscribed_at: Date | null }>> =>
    t.app.db.query(`SELECT channel, service_ids, confirmed_at, unsubscribed_at FROM status_subscriber WHERE address = $1`, [address]);

  /** The page's inline style applied, so its CSP (the style allowed by its hash) let it: the answer looks like the status page. */
  async function expectStatusStyle(): Promise<void> {
    expect(await page.locator('.message').evaluate(backgroundColorOf)).toBe('rgb(255, 255, 255)');
  }
});
