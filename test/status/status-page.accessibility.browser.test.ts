import type { Browser, Page } from 'playwright-core';
import { securityHeaders, StatusPageRenderer, type RenderedPage } from '../../src/status/html/status-page.renderer';
import { launchChromium } from '../support/chromium';
import { auditPage, backgroundColorOf, headingProblems, type PageAudit } from './page-audit';
import { busyPage, quietPage } from './public-page.fixture';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 740 };

/** Rendered documents, served to Chromium with their own headers (CSP included) from a made-up origin. */
const renderer = new StatusPageRenderer();
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function open(rendered: RenderedPage, viewport: { width: number; height: number }): Promise<{ page: Page; violations: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.route('**/*', (route) => route.fulfill({ status: 200, headers: rendered.headers, body: rendered.html }));
  await page.goto('http://status.test/status');
  return { page, violations, close: () => context.close() };
}

async function audit(rendered: RenderedPage, viewport: { width: number; height: number }): Promise<PageAudit & { violations: string[] }> {
  const { page, violations, close } = await open(rendered, viewport);
  try {
    return { ...(await page.evaluate(auditPage)), violations };
  } finally {
    await close();
  }
}

describe.each([
  ['a busy page on a desktop', () => renderer.page(busyPage()), DESKTOP],
  ['a busy page on a phone', () => renderer.page(busyPage()), PHONE],
  ['a quiet page on a phone', () => renderer.page(quietPage()), PHONE],
  ['the not-found page on a phone', () => renderer.notFound(), PHONE],
])('status page accessibility: %s', (_name, render, viewport) => {
  let result: PageAudit & { violations: string[] };

  beforeAll(async () => {
    result = await audit(render(), viewport);
  });

  it('is in English, with headings in order and its style allowed by the CSP', () => {
    expect(result.lang).toBe('en');
    expect(headingProblems(result.headings)).toEqual([]);
    expect(result.violations).toEqual([]);
  });

  it('has labels for every form field and a legend for every group of choices', () => {
    expect(result.unlabelled).toEqual([]);
    expect(result.ungroupedChoices).toEqual([]);
  });

  it('says in words what every colour says', () => {
    expect(result.colourOnly).toEqual([]);
  });

  it('keeps every visible text at a contrast of 4.5:1 or more', () => {
    expect(result.lowContrast).toEqual([]);
  });

  it('fits the viewport without scrolling sideways', () => {
    expect(result.overflowX).toBe(0);
  });
});

describe('status page accessibility: the page itself', () => {
  it('has header, main and footer landmarks and labelled navigation, and headings for every section', async () => {
    const result = await audit(renderer.page(busyPage()), DESKTOP);
    expect({ banners: result.banners, mains: result.mains, contentinfos: result.contentinfos }).toEqual({ banners: 1, mains: 1, contentinfos: 1 });
    expect(result.navLabels).toEqual(['Page sections', 'Feeds and data']);
    expect(result.headings.map((heading) => `h${heading.level} ${heading.text}`)).toEqual([
      'h1 Acme Cloud Status',
      'h2 Partial System Outage',
      'h2 Active incidents',
      'h3 Elevated API error rates',
      'h2 Maintenance',
      'h3 Reporting database upgrade',
      'h3 Notification service maintenance',
      'h2 Components',
      'h3 Core platform',
      'h3 Data',
      'h2 Subscribe to updates',
    ]);
  });

  it('shows the last 90 days on a desktop and the last 30 on a phone, each bar with its day in words', async () => {
    for (const [viewport, shown] of [
      [DESKTOP, 90],
      [PHONE, 30],
    ] as const) {
      const { page, close } = await open(renderer.page(busyPage()), viewport);
      const bars = page.locator('ol.bars').first().locator('li');
      expect(await bars.count()).toBe(90);
      const visible = await bars.evaluateAll((items) => items.filter((item) => item.getBoundingClientRect().width > 0).map((item) => item.textContent));
      expect(visible).toHaveLength(shown);
      expect(visible[visible.length - 1]).toBe('10 Mar 2026: 97.91% uptime, partial outage. Incidents: Elevated API error rates.');
      expect(await page.locator('ol.bars').first().getAttribute('aria-label')).toBe('Daily uptime of Public API, oldest day first');
      await close();
    }
  });

  it('shows the webhook secret only for the webhook channel, without any script', async () => {
    const { page, close } = await open(renderer.page(busyPage()), DESKTOP);
    const secret = page.getByLabel('Signing secret');
    expect(await secret.isVisible()).toBe(false);
    await page.getByLabel('Webhook', { exact: true }).check();
    expect(await secret.isVisible()).toBe(true);
    await page.getByLabel('Slack', { exact: true }).check();
    expect(await secret.isVisible()).toBe(false);
    await close();
  });

  it('applies no style the CSP does not name: a changed style is refused', async () => {
    const rendered = renderer.page(busyPage());
    const tampered = { ...rendered, html: rendered.html.replace('<style>', '<style>/* changed */') };
    const styled = await open(rendered, DESKTOP);
    const refused = await open(tampered, DESKTOP);
    try {
      // The banner of a partial outage is orange (#bc4c00) only while the style applies.
      expect(await styled.page.locator('.banner').evaluate(backgroundColorOf)).toBe('rgb(188, 76, 0)');
      expect(await refused.page.locator('.banner').evaluate(backgroundColorOf)).toBe('rgba(0, 0, 0, 0)');
      expect(refused.violations.join('\n')).toMatch(/inline style violates the following Content Security Policy directive/);
    } finally {
      await styled.close();
      await refused.close();
    }
  });

  it('is an audit that finds faults: grey text, a colour without words, an unlabelled field, a skipped heading', async () => {
    const css = 'body { color: #999999; } .tone-major { display: block; height: 10px; background: #cf222e; }';
    const html = `<!doctype html><html lang="en"><head><style>${css}</style></head><body><h1>Status</h1><h3>Components</h3><p>Light grey text</p><span class="tone-major"></span><input name="address"></body></html>`;
    const result = await audit({ html, headers: securityHeaders(css) }, DESKTOP);
    expect(result.lowContrast.map((entry) => entry.text)).toEqual(['Status', 'Components', 'Light grey text']);
    expect(result.colourOnly).toEqual(['<span class="tone-major"></span>']);
    expect(result.unlabelled).toEqual(['address']);
    expect(headingProblems(result.headings)).toEqual(['h3 "Components" after h1']);
  });
});
