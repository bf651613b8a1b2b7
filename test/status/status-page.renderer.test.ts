import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatusPageRenderer } from '../../src/status/html/status-page.renderer';
import { templatesDir } from '../../src/status/html/templates-dir';
import { ComponentState, StatusPageKind } from '../../src/shared/enums';
import { busyPage, component, history, incident, quietPage } from './public-page.fixture';

const renderer = new StatusPageRenderer();
const html = (page = busyPage()) => renderer.page(page).html;

/** The text between an element's tags, for elements picked by a marker in their opening tag. */
function elementsWith(source: string, tag: string, marker: string): string[] {
  return [...source.matchAll(new RegExp(`<${tag}\\b[^>]*${marker}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]);
}

describe('status page renderer: escaping', () => {
  const hostile = '<script>alert(1)</script>';
  const page = busyPage({
    title: hostile,
    description: '"><img src=x onerror=alert(2)>',
    activeIncidents: [
      incident({
        id: 'inc0evil0001',
        title: `Outage ${hostile}`,
        updates: [{ id: 'upd0evil0001', status: 'investigating', body: 'Fixed <b>soon</b> & <img src=x onerror=alert(3)>', postedAt: new Date('2026-03-10T13:00:00Z') }],
        provider: { name: 'Evil "provider"', url: 'javascript:alert(4)' },
      }),
    ],
    components: [component({ id: 'cmp0evil0001', name: `API" onmouseover="alert(5)`, group: `<i>group</i>` })],
  });
  const rendered = html(page);

  it('shows a title with a script tag as text, and no script element at all', () => {
    expect(rendered).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(rendered).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(rendered).not.toMatch(/<script/i);
  });

  it("renders a maintenance description's Markdown, and no HTML of its author", () => {
    const upcoming = busyPage().upcomingMaintenances[0];
    const shown = html(busyPage({ upcomingMaintenances: [{ ...upcoming, description: 'Rolling **upgrade**. <script>alert(6)</script> [x](javascript:alert(7))' }] }));
    expect(shown).toContain('<div class="description"><p>Rolling <strong>upgrade</strong>. &lt;script&gt;alert(6)&lt;/script&gt; [x](javascript:alert(7))</p>');
    expect(shown).not.toMatch(/<script|href="javascript/i);
  });

  it('shows an update body with HTML as text', () => {
    expect(rendered).toContain('Fixed &lt;b&gt;soon&lt;/b&gt; &amp; &lt;img src=x onerror=alert(3)&gt;');
    expect(rendered).not.toMatch(/<img|<b>/i);
  });

  it('escapes quotes in attributes (meta description, aria labels, form values)', () => {
    expect(rendered).toContain('<meta name="description" content="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;">');
    expect(rendered).toContain('aria-label="Daily uptime of API&quot; onmouseover=&quot;alert(5), oldest day first"');
    expect(rendered).not.toMatch(/onmouseover="/);
    expect(rendered).toContain('<h3>&lt;i&gt;group&lt;/i&gt;</h3>');
  });

  it('never puts a non-http(s) provider address into a link, but names the provider', () => {
    expect(rendered).not.toContain('javascript:');
    expect(rendered).toContain('Reported by Evil &quot;provider&quot;');
    const linked = html(busyPage({ activeIncidents: [incident({ id: 'inc0prov0001', title: 'Azure', provider: { name: 'Azure', url: 'https://status.azure.com/en-us/status' } })] }));
    expect(linked).toContain('Reported by <a href="https://status.azure.com/en-us/status" rel="noopener noreferrer">Azure</a>');
  });

  it('uses raw output in the templates only for the page style, the layout body, sanitized Markdown and included partials', () => {
    const dir = templatesDir();
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.eta'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const raw = files.flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/<%~\s*([^%]*?)\s*%>/g)].map((match) => match[1]));
    expect(raw.length).toBeGreaterThan(0);
    expect(raw.filter((expression) => !/^(it\.css|it\.body|maintenance\.descriptionHtml|section\.bodyHtml|include\('\/partials\/[a-z-]+', \{[^}]*\}\))$/.test(expression))).toEqual([]);
  });
});

describe('status page renderer: content', () => {
  const rendered = html();

  it('shows the title, description and the overall indicator in words and tone', () => {
    expect(rendered).toContain('<h1>Acme Cloud Status</h1>');
    expect(rendered).toContain('<p class="description">Live status of Acme Cloud services.</p>');
    expect(rendered).toMatch(/<section class="banner tone-partial"[^>]*>\s*<h2 id="overall-status">Partial System Outage<\/h2>/);
    expect(html(quietPage())).toMatch(/<section class="banner tone-ok"[^>]*>\s*<h2 id="overall-status">All Systems Operational<\/h2>/);
  });

  it('shows the active incident with its impact, status, components and public updates, newest first, timed in the page zone and in UTC', () => {
    const [article] = elementsWith(rendered, 'article', 'aria-labelledby="incident-inc0api00001"');
    expect(article).toContain('<h3 id="incident-inc0api00001">Elevated API error rates</h3>');
    expect(article).toContain('<span class="badge">Major impact</span> <span>Identified</span>');
    expect(article).toContain('Public API: <span class="state tone-partial">Partial outage</span>');
    expect(article).toContain('Web app: <span class="state tone-degraded">Degraded performance</span>');
    const identified = article.indexOf('<strong>Identified</strong> A faulty configuration change');
    const investigating = article.indexOf('<strong>Investigating</strong> Some API requests fail');
    expect(identified).toBeGreaterThan(0);
    expect(investigating).toBeGreaterThan(identified);
    // 13:20 UTC is 13:20 WET in Lisbon in March.
    expect(article).toContain('<time datetime="2026-03-10T13:20:00.000Z">10 Mar 2026, 13:20 WET</time>');
  });

  it("shows times in the page's own time zone, with daylight saving time", () => {
    const inNewYork = html(busyPage({ timeZone: 'America/New_York' }));
    // The US moved to EDT on 8 March 2026.
    expect(inNewYork).toContain('<time datetime="2026-03-10T13:20:00.000Z">10 Mar 2026, 09:20 EDT</time>');
    expect(inNewYork).toContain('Times are shown in America/New_York.');
  });

  it('shows maintenance in progress and upcoming, with its window, components and announcements', () => {
    const [active] = elementsWith(rendered, 'article', 'aria-labelledby="maintenance-mnt0dbs00001"');
    expect(active).toContain('Reporting database upgrade');
    expect(active).toContain('<span class="badge">In progress</span>');
    expect(active).toContain('<time datetime="2026-03-10T13:00:00.000Z">10 Mar 2026, 13:00 WET</time> to <time datetime="2026-03-10T16:00:00.000Z">10 Mar 2026, 16:00 WET</time>');
    expect(active).toContain('Reporting database: <span class="state tone-maintenance">Under maintenance</span>');
    const [upcoming] = elementsWith(rendered, 'article', 'aria-labelledby="maintenance-mnt0ntf00001"');
    expect(upcoming).toContain('<span class="badge">Scheduled</span>');
    expect(upcoming).toContain('Notifications may arrive up to 10 minutes late.');
    expect(upcoming).toContain('<strong>Scheduled</strong> We will upgrade the notification queue.');
    expect(rendered.indexOf('mnt0dbs00001')).toBeLessThan(rendered.indexOf('mnt0ntf00001'));
  });

  it('leaves out the incident and maintenance sections (and their links) when there are none', () => {
    const quiet = html(quietPage());
    expect(quiet).not.toContain('id="incidents"');
    expect(quiet).not.toContain('id="maintenance"');
    expect(quiet).not.toContain('href="#incidents"');
    expect(quiet).toContain('href="#components"');
  });

  it('shows components in their groups, each group with its worst state and each component with its own, in words', () => {
    const groups = rendered.split(/<div class="group(?: group-named)?">/).slice(1);
    expect(groups).toHaveLength(3);
    expect(groups[0]).toContain('<h3>Core platform</h3>\n<span class="state tone-partial">Partial outage</span>');
    expect(groups[0]).toMatch(/Public API<\/span>\s*<span class="state tone-partial">Partial outage<\/span>/);
    expect(groups[0]).toMatch(/Web app<\/span>\s*<span class="state tone-degraded">Degraded performance<\/span>/);
    expect(groups[0]).toMatch(/Notifications<\/span>\s*<span class="state tone-ok">Operational<\/span>/);
    expect(groups[1]).toContain('<h3>Data</h3>\n<span class="state tone-maintenance">Under maintenance</span>');
    // Ungrouped components come without a heading.
    expect(groups[2]).not.toContain('<h3>');
    expect(groups[2]).toMatch(/Single sign-on<\/span>\s*<span class="state tone-ok">Operational<\/span>/);
  });

  it('draws 90 daily bars per component, each with its day, uptime, worst state and incidents in words', () => {
    const bars = elementsWith(rendered, 'ol', 'class="bars"');
    expect(bars).toHaveLength(5);
    for (const list of bars) {
      const days = [...list.matchAll(/<li class="tone-(\w+)" title="([^"]+)"><span class="sr-only">([^<]+)<\/span><\/li>/g)];
      expect(days).toHaveLength(90);
      for (const [, , title, text] of days) expect(title).toBe(text);
    }
    const api = bars[0];
    expect(api).toContain('<li class="tone-major" title="29 Jan 2026: 93.75% uptime, major outage. Incidents: API unavailable.">');
    expect(api).toContain('<li class="tone-degraded" title="26 Feb 2026: 99.58% uptime, degraded performance. Incidents: Slow responses.">');
    expect(api).toMatch(/<li class="tone-partial" title="10 Mar 2026: 97.91% uptime, partial outage. Incidents: Elevated API error rates.">[^]*<\/li>\s*$/);
    expect(api).toContain('<li class="tone-ok" title="9 Mar 2026: 100% uptime, operational.">');
    // The mean of the 90 days: (87 × 100 + 97.91 + 99.58 + 93.75) / 90 = 99.9026…
    expect(rendered).toContain('<span class="uptime-figure">99.90% uptime</span>');
  });

  it('offers a subscribe form posting the channel, address, secret and chosen components to the page', () => {
    const [form] = elementsWith(rendered, 'form', 'class="card subscribe"');
    expect(rendered).toContain('<form class="card subscribe" method="post" action="/status/main/subscribers">');
    expect([...form.matchAll(/<input type="radio" name="channel" value="(\w+)"/g)].map((match) => match[1])).toEqual(['EMAIL', 'SLACK', 'WEBHOOK']);
    expect(form).toMatch(/<input id="subscribe-address" name="address" type="text" required/);
    expect(form).toMatch(/<label for="subscribe-address">Address<\/label>/);
    expect(form).toMatch(/<input id="subscribe-secret" name="secret"/);
    expect(form).toMatch(/<label for="subscribe-secret">Signing secret/);
    expect([...form.matchAll(/<label><input type="checkbox" name="components" value="(\w+)"> ([^<]+)<\/label>/g)].map((match) => `${match[1]} ${match[2]}`)).toEqual([
      'cmp0api00001 Public API',
      'cmp0web00001 Web app',
      'cmp0ntf00001 Notifications',
      'cmp0dbs00001 Reporting database',
      'cmp0sso00001 Single sign-on',
    ]);
    expect(form).toContain('<button type="submit">Subscribe</button>');
  });

  it("links the page's feeds and Statuspage JSON under its own slug", () => {
    const external = html(busyPage({ slug: 'external', kind: StatusPageKind.PROVIDERS }));
    for (const path of ['feed.atom', 'feed.rss', 'api/v2/summary.json']) expect(external).toContain(`href="/status/external/${path}"`);
    expect(external).toContain('<link rel="alternate" type="application/atom+xml" title="Acme Cloud Status (Atom)" href="/status/external/feed.atom">');
    expect(external).toContain('action="/status/external/subscribers"');
  });

  it('names a component\'s provider with a link on an external page', () => {
    const external = html(busyPage({ components: [component({ id: 'cmp0twl00001', name: 'SMS delivery', provider: { name: 'Twilio', url: 'https://status.twilio.com/' } })] }));
    expect(external).toContain('Provided by <a href="https://status.twilio.com/" rel="noopener noreferrer">Twilio</a>');
  });

  it('says so when a page has no components, and offers no component choice', () => {
    const empty = html(quietPage({ components: [] }));
    expect(empty).toContain('No components are shown on this page yet.');
    expect(empty).not.toContain('name="components"');
    expect(empty).not.toContain('class="bars"');
  });

  it('shows a day under maintenance as such', () => {
    const page = quietPage({ components: [component({ id: 'cmp0one00001', name: 'One', history: history('Europe/Lisbon', { 1: { worstState: ComponentState.UNDER_MAINTENANCE } }) })] });
    expect(html(page)).toContain('<li class="tone-maintenance" title="9 Mar 2026: 100% uptime, under maintenance.">');
  });
});

describe('status page renderer: documents and headers', () => {
  it('is a complete English document for phones, with no script and no external resource', () => {
    const rendered = html();
    expect(rendered).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(rendered).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(rendered).toContain('<meta charset="utf-8">');
    expect(rendered).not.toMatch(/<script|<link rel="stylesheet"|<img|src=|url\(/i);
  });

  it('allows exactly its own inline style by hash, nothing else, and forbids sniffing', () => {
    const { html: rendered, headers } = renderer.page(busyPage());
    const styles = elementsWith(rendered, 'style', '');
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256').update(styles[0], 'utf8').digest('base64');
    expect(headers['content-security-policy']).toBe(`default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(rendered).not.toMatch(/ style="/);
  });

  it('has a not-found page, an unavailable page and any message page with the same style and headers, escaped', () => {
    const missing = renderer.notFound();
    expect(missing.html).toContain('<h1 id="message-heading">Status page not found</h1>');
    expect(missing.html).toContain('<a href="/status">Go to the main status page</a>');
    expect(missing.headers).toEqual(renderer.page(busyPage()).headers);
    const unavailable = renderer.unavailable(7);
    expect(unavailable.html).toContain('Please try again in 7 seconds.');
    expect(unavailable.html).toContain('<main id="main"');
    const message = renderer.message({ pageTitle: 'Acme <Status>', heading: 'Check your <inbox>', paragraphs: ['We sent a link to "a@b".'], link: { href: '/status/main', text: 'Back' } });
    expect(message.html).toContain('<title>Check your &lt;inbox&gt; · Acme &lt;Status&gt;</title>');
    expect(message.html).toContain('<p class="message-page">Acme &lt;Status&gt;</p>');
    expect(message.html).toContain('<meta name="robots" content="noindex">');
    expect(message.html).toContain('<p>We sent a link to &quot;a@b&quot;.</p>');
    expect(message.html).toContain('<p><a href="/status/main">Back</a></p>');
    expect(message.headers).toEqual(missing.headers);
  });

  it('puts a button on a message page that POSTs to its action, escaped, under the same headers (forms only to this site)', () => {
    const asked = renderer.message({
      heading: 'Unsubscribe a•••@example.com from <b>Acme</b>?',
      paragraphs: ['Nothing changes until you press the button.'],
      form: { action: '/status/main/subscribers/unsubscribe?token=a.b&x="><script>', button: 'Unsubscribe <now>' },
    });
    expect(asked.html).toContain(
      '<form method="post" action="/status/main/subscribers/unsubscribe?token=a.b&amp;x=&quot;&gt;&lt;script&gt;">\n<button type="submit">Unsubscribe &lt;now&gt;</button>\n</form>',
    );
    expect(asked.html).toContain('<h1 id="message-heading">Unsubscribe a•••@example.com from &lt;b&gt;Acme&lt;/b&gt;?</h1>');
    expect(asked.html).not.toMatch(/<script|<b>/);
    expect(asked.headers).toEqual(renderer.notFound().headers);
    expect(asked.headers['content-security-policy']).toContain("form-action 'self'");
    expect(renderer.message({ heading: 'No form', paragraphs: [] }).html).not.toContain('<form');
  });
});
