import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActorType, Audience, CauseKind, Priority, Role } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { launchChromium } from '../support/chromium';
import { startTestApp, type TestApp } from '../support/test-app';
import { auditPage, headingProblems } from './page-audit';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };
const rui: Actor = { type: ActorType.TOKEN, id: 'token-rui', name: 'Rui Analyst' };
const INTERNAL_SECRET = 'db-primary-7 credentials rotated by hand';
const HOSTILE_MARKDOWN = [
  'Writes failed for **12 minutes**.',
  '<script>window.ranScript = true</script>',
  '<img src=x onerror="window.ranOnerror = true">',
  '[click me](javascript:window.ranLink=true)',
  '<a href="#" onclick="window.ranOnclick = true">or me</a>',
  '[Provider notice](https://status.example.com/notice)',
].join('\n\n');

/**
 * The public RCA view and the printable view of a real server in headless Chromium with JavaScript on, so that
 * anything the author's Markdown smuggled in would run and be seen: a visitor reaches the RCA from the status page,
 * sees only its PUBLIC sections, and nothing executes; a responder's token opens the printable view, which prints.
 */
describe('the RCA views in a real browser', () => {
  const clock = new ManualClock('2026-04-06T09:00:00Z');
  let t: TestApp;
  let browser: Browser;
  let visitor: BrowserContext;
  let page: Page;
  let incidentId: string;
  let publicId: string;
  const dialogs: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    const { catalog, incidents, statusUpdates, reviews, rcas, causeCategories } = t.app.services;
    const serviceId = (await catalog.createService({ name: 'Checkout API', slug: 'checkout', public: true })).id;
    const categoryId = (await causeCategories.list())[0].id;
    const incident = await incidents.declare(ana, { title: 'Checkout writes failing', serviceId, priority: Priority.P1 });
    incidentId = incident.id;
    await statusUpdates.post(ana, incidentId, 'Payments fail for some customers. We are investigating.', Audience.PUBLIC);
    clock.advance(12 * 60_000);
    await incidents.resolve(ana, incidentId);
    await reviews.updateSection(ana, { incidentId, summary: 'Failover left checkout on a read-only replica.' });
    await reviews.updateSection(ana, { incidentId, detection: { impactStartedAt: new Date(clock.now().getTime() - 15 * 60_000), notes: INTERNAL_SECRET } });
    await reviews.updateSection(ana, { incidentId, causes: [{ kind: CauseKind.ROOT, categoryId, description: 'Replica promoted without write access' }] });
    await reviews.updateSection(ana, { incidentId, mitigation: { notes: 'Promoted the healthy primary' } });
    await reviews.updateSection(ana, { incidentId, impact: { description: 'Writes failed for 12 minutes' } });
    await reviews.updateSection(ana, { incidentId, preventiveActions: { notes: 'Failover drill monthly' } });
    await reviews.submit(ana, incidentId);
    await rcas.generate(ana, incidentId);
    await rcas.update(ana, { incidentId, sections: [{ key: 'impact', body: HOSTILE_MARKDOWN }, { key: 'lessons', body: `Internal: ${INTERNAL_SECRET}` }] });
    await rcas.submit(ana, incidentId);
    publicId = (await rcas.publish(rui, incidentId)).document.publicId!;

    browser = await launchChromium();
    visitor = await browser.newContext({ viewport: { width: 375, height: 812 }, javaScriptEnabled: true });
    page = await visitor.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${t.url}/status`);
    await page.getByRole('link', { name: 'Root cause analysis: Checkout writes failing' }).click();
    await page.waitForURL(`**/status/rca/${publicId}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('is reached from the status page and shows the PUBLIC sections of the published version, none of the internal ones', async () => {
    const audit = await page.evaluate(auditPage);
    expect(audit.headings.map((heading) => `h${heading.level} ${heading.text}`)).toEqual([
      'h1 Root cause analysis: #1 Checkout writes failing',
      'h2 Summary',
      'h2 Timeline',
      'h2 Root cause and contributing factors',
      'h3 Root cause',
      'h2 Impact',
      'h2 Mitigation and resolution',
    ]);
    const text = await page.locator('body').innerText();
    expect(text).toContain('Replica promoted without write access');
    expect(text).toContain('Writes failed for 12 minutes.');
    for (const internal of [INTERNAL_SECRET, 'Lessons learned', 'Failover drill monthly', 'Detection']) expect(text).not.toContain(internal);
  });

  it("runs nothing from the author's Markdown: no script, handler or javascript: link survives, and none ran", async () => {
    await page.getByText('click me').click();
    await page.getByText('or me').click();
    const ran = await page.evaluate(() => {
      const flags = globalThis as unknown as Record<string, unknown>;
      return ['ranScript', 'ranOnerror', 'ranLink', 'ranOnclick'].filter((flag) => flags[flag] !== undefined);
    });
    expect(ran).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(await page.locator('main script, main img, main [onerror], main [onclick], main a[href^="javascript:" i]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Provider notice' }).getAttribute('href')).toBe('https://status.example.com/notice');
    // The author's tags show as the text they typed.
    expect(await page.locator('main').innerText()).toContain('<script>window.ranScript = true</script>');
    expect(cspViolations).toEqual([]);
  });

  it('passes the accessibility audit on a phone', async () => {
    const audit = await page.evaluate(auditPage);
    expect(audit.lang).toBe('en');
    expect(headingProblems(audit.headings)).toEqual([]);
    expect(audit.mains).toBe(1);
    expect(audit.lowContrast).toEqual([]);
    expect(audit.overflowX).toBe(0);
  });

  it('opens the printable view with every section marked for a token holder, refuses it without one, and prints it', async () => {
    const anonymous = await visitor.newPage();
    const refused = await anonymous.goto(`${t.url}/rca/${incidentId}/print`);
    expect(refused!.status()).toBe(401);
    await anonymous.close();

    const responder = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${await t.tokenFor(Role.VIEWER)}` } });
    const printable = await responder.newPage();
    const answer = await printable.goto(`${t.url}/rca/${incidentId}/print`);
    expect(answer!.status()).toBe(200);
    expect(answer!.headers()['cache-control']).toBe('private, no-store');
    const headings = await printable.locator('h2').allInnerTexts();
    expect(headings).toEqual([
      'Summary',
      'Timeline',
      'Detection Internal',
      'Root cause and contributing factors',
      'Impact',
      'Mitigation and resolution',
      'Preventive actions Internal',
      'Lessons learned Internal',
    ]);
    expect(await printable.locator('main').innerText()).toContain(INTERNAL_SECRET);
    await printable.emulateMedia({ media: 'print' });
    const pdf = await printable.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await responder.close();
  });
});
