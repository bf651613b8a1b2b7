import type { Browser, Page } from 'playwright-core';
import { ActorType, Priority, Role } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { auditPage, headingProblems } from '../status/page-audit';
import { launchChromium } from '../support/chromium';
import { startTestApp, type TestApp } from '../support/test-app';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };

/**
 * The report a signed link opens, in headless Chromium with JavaScript off (it must need none): its totals, one SVG
 * chart per figure with the same numbers in a table, and the link's limits (changed or expired links are refused).
 */
describe('GET /analytics/report in a real browser', () => {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let link: { path: string; url: string; expiresAt: string };

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    const { catalog, incidents } = t.app.services;
    const api = (await catalog.createService({ name: 'Checkout <API>', slug: 'checkout' })).id;
    const web = (await catalog.createService({ name: 'Web shop', slug: 'web' })).id;
    // Week of 2 March: three incidents; week of 9 March: none; week of 16 March: one.
    for (const [openedAt, serviceId, ackMinutes, resolveMinutes] of [
      ['2026-03-02T09:00:00Z', api, 5, 60],
      ['2026-03-03T09:00:00Z', api, 10, 120],
      ['2026-03-04T09:00:00Z', web, 15, 30],
      ['2026-03-17T09:00:00Z', web, 20, 90],
    ] as const) {
      clock.set(new Date(openedAt));
      const incident = await incidents.declare(ana, { title: 'Slow', serviceId, priority: Priority.P2 });
      clock.advance(ackMinutes * 60_000);
      await incidents.acknowledge(ana, incident.id);
      clock.set(new Date(Date.parse(openedAt) + resolveMinutes * 60_000));
      await incidents.resolve(ana, incident.id);
    }
    const anaId = (await catalog.createPerson({ name: 'Ana', email: 'ana@example.com', timeZone: 'Europe/Lisbon' })).id;
    const [{ id: paged }] = await t.app.db.query(`SELECT id FROM incident ORDER BY opened_at LIMIT 1`);
    for (const [key, sentAt] of [['business', '2026-03-02T10:00:00Z'], ['sleep', '2026-03-02T23:00:00Z']]) {
      // As the delivery worker records a delivered page.
      await t.app.db.query(
        `INSERT INTO notification (idempotency_key, incident_id, person_id, channel, address, subject, body, reason, status, attempts, max_attempts, next_attempt_at, created_at, sent_at)
         VALUES ($1, $2, $3, 'SMS', 'x', 's', 'b', 'escalation', 'SENT', 1, 5, $4, $4, $4)`,
        [key, paged, anaId, new Date(sentAt)],
      );
    }
    clock.set(new Date('2026-03-23T08:00:00Z'));
    const created = await t.gql<{ createAnalyticsLink: typeof link }>(
      `mutation { createAnalyticsLink(from: "2026-03-02T00:00:00Z", to: "2026-03-23T00:00:00Z", expiresInSeconds: 3600) { path url expiresAt } }`,
      {},
      await t.tokenFor(Role.ANALYST),
    );
    expect(created.errors).toBeUndefined();
    link = created.data!.createAnalyticsLink;
    browser = await launchChromium();
    page = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('is refused to anyone changing the link', async () => {
    const answer = await page.goto(`${t.url}${link.path.replace('sig=', 'sig=x')}`);
    expect(answer!.status()).toBe(403);
    expect(await page.locator('h1').innerText()).toBe('This report link is not valid');
    const q = new URLSearchParams(link.path.split('?')[1]).get('q')!;
    const widened = Buffer.from(Buffer.from(q, 'base64url').toString().replace('2026-03-02', '2025-03-02')).toString('base64url');
    expect((await page.goto(`${t.url}${link.path.replace(q, widened)}`))!.status()).toBe(403);
  });

  it('shows the totals, a chart per figure and the same numbers in tables, with no token', async () => {
    expect(link.url.endsWith(link.path) && /^https?:\/\//.test(link.url)).toBe(true);
    const answer = await page.goto(`${t.url}${link.path}`);
    expect(answer!.status()).toBe(200);
    expect(answer!.headers()['cache-control']).toBe('private, no-store');
    const audit = await page.evaluate(auditPage);
    expect(headingProblems(audit.headings)).toEqual([]);
    expect(audit.headings.map((heading) => heading.text)).toEqual([
      'Incident report',
      'Totals',
      'Incidents opened per week',
      'Noise: alerts per incident, per service',
      'Time to acknowledge and resolve per week, in minutes (median and 90th percentile)',
      'Interruptions per person: pages in business, off and sleep hours (their own zone)',
    ]);
    expect(audit.lowContrast).toEqual([]);
    const totals = await page.locator('.totals div').allInnerTexts();
    expect(totals.slice(0, 4).map((text) => text.replace(/\s+/g, ' '))).toEqual(['Incidents opened 4', 'Still open at the end 0', 'MTTA (mean, minutes) 12.5', 'MTTR (mean, minutes) 75']);
    expect(await page.locator('svg.chart').count()).toBe(4);
    const interruptions = page.locator('section[aria-labelledby="interruptions-heading"]');
    expect((await interruptions.locator('tbody tr').allInnerTexts()).map((row) => row.split('\t'))).toEqual([['Ana', '1', '0', '1']]);
    expect(await interruptions.locator('rect title').allTextContents()).toEqual(['Ana: 1 pages in business hours', 'Ana: 0 pages in off hours', 'Ana: 1 pages in sleep hours']);
    const weekBars = page.locator('section[aria-labelledby="per-week-heading"] rect.bar');
    expect(await weekBars.count()).toBe(3);
    expect(await weekBars.locator('title').allTextContents()).toEqual(['Week of 2026-03-02: 3 incidents', 'Week of 2026-03-09: 0 incidents', 'Week of 2026-03-16: 1 incidents']);
    const weekHeights = await weekBars.evaluateAll((bars) => bars.map((bar) => Number((bar as unknown as { getAttribute(name: string): string }).getAttribute('height'))));
    expect(weekHeights[0]).toBeCloseTo(3 * weekHeights[2], 5);
    expect(weekHeights[1]).toBe(0);
    const timingRows = await page.locator('section[aria-labelledby="timings-heading"] tbody tr').allInnerTexts();
    expect(timingRows.map((row) => row.split('\t'))).toEqual([
      ['2026-03-02', '10', '14', '60', '108'],
      ['2026-03-09', 'none', 'none', 'none', 'none'],
      ['2026-03-16', '20', '20', '90', '90'],
    ]);
    const services = await page.locator('section[aria-labelledby="noise-heading"] tbody td:first-child').allInnerTexts();
    expect(services.sort()).toEqual(['Checkout <API>', 'Web shop']);
  });

  it('stops working when it expires', async () => {
    clock.set(new Date(Date.parse(link.expiresAt) + 1000));
    const answer = await page.goto(`${t.url}${link.path}`);
    expect(answer!.status()).toBe(403);
    expect(await page.locator('h1').innerText()).toBe('This report link has expired');
  });
});
