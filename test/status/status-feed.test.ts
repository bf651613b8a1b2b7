// xml-js is what the feed library writes with; its parser (sax, strict) rejects any malformed document.
import { xml2js, type ElementCompact } from 'xml-js';
import type { PublicIncident, PublicUpdate } from '../../src/services/status/public-page';
import { pageLinks } from '../../src/status/page-links';
import { atomFeed, FEED_MAX_ENTRIES, htmlText, rssFeed } from '../../src/status/status-feed';
import { apiIncident, fixturePage } from './public-page-fixture';

const links = pageLinks('https://status.example.com', 'main');

type Node = ElementCompact & Record<string, ElementCompact & ElementCompact[]>;

function list(value: unknown): Node[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as Node[];
}

function text(node: unknown): string {
  const element = node as ElementCompact;
  return String(element._cdata ?? element._text ?? '');
}

function atomEntries(xml: string) {
  const feed = (xml2js(xml, { compact: true }) as Node).feed;
  return list(feed.entry).map((entry) => ({ id: text(entry.id), title: text(entry.title), link: String(entry.link._attributes?.href), updated: text(entry.updated), summary: text(entry.summary) }));
}

function rssItems(xml: string) {
  const channel = (xml2js(xml, { compact: true }) as Node).rss.channel as Node;
  return list(channel.item).map((item) => ({ guid: text(item.guid), title: text(item.title), link: text(item.link), pubDate: text(item.pubDate), description: text(item.description) }));
}

function manyUpdates(count: number, start: number): PublicUpdate[] {
  return Array.from({ length: count }, (_, i) => ({ id: `upd${String(i).padStart(9, '0')}`, body: `Update ${i}`, status: 'investigating' as const, postedAt: new Date(start + i * 60_000) }));
}

describe('Status feeds', () => {
  const page = fixturePage();

  it('has one Atom entry per public update of the recent incidents and windows, newest first, linking to the page', () => {
    const entries = atomEntries(atomFeed(page, links));
    expect(entries.map((entry) => [entry.title, entry.updated])).toEqual([
      ['Elevated API errors — Identified', '2026-03-10T09:20:00.000Z'],
      ['Elevated API errors — Investigating', '2026-03-10T09:05:00.000Z'],
      ['Maintenance: Database upgrade — In progress', '2026-03-10T08:00:00.000Z'],
      ['Maintenance: Network switch replacement — Scheduled', '2026-03-09T10:00:00.000Z'],
      ['Maintenance: Storage migration — Cancelled', '2026-03-04T10:00:00.000Z'],
      ['Maintenance: Database upgrade — Scheduled', '2026-03-03T08:00:00.000Z'],
      ['Maintenance: Storage migration — Scheduled', '2026-03-02T10:00:00.000Z'],
      ['Slow web logins — Resolved', '2026-03-01T13:00:00.000Z'],
      ['Slow web logins — Monitoring', '2026-03-01T12:40:00.000Z'],
      ['Slow web logins — Investigating', '2026-03-01T12:05:00.000Z'],
    ]);
    expect(new Set(entries.map((entry) => entry.link))).toEqual(new Set(['https://status.example.com/status/main']));
    expect(entries[0]).toEqual(
      expect.objectContaining({
        id: 'https://status.example.com/status/main#update-upd0000000a2',
        summary: '<p><strong>Identified</strong> — We found the cause: a bad deploy.<br />Rolling back.</p><p>Affected: API (partial outage)</p>',
      }),
    );
  });

  it('describes the feed itself: the page, its latest change, its own address', () => {
    const feed = (xml2js(atomFeed(page, links), { compact: true }) as Node).feed;
    expect([text(feed.id), text(feed.title), text(feed.updated), text(feed.author.name)]).toEqual(['https://status.example.com/status/main', 'Acme status', '2026-03-10T09:20:00.000Z', 'Acme status']);
    expect(list(feed.link).map((link) => [link._attributes?.rel, link._attributes?.href])).toEqual([
      ['alternate', 'https://status.example.com/status/main'],
      ['self', 'https://status.example.com/status/main/feed.atom'],
    ]);
  });

  it('has the same entries in RSS, with the same ids as guids', () => {
    const atom = atomEntries(atomFeed(page, links));
    const rss = rssItems(rssFeed(page, links));
    expect(rss.map((item) => [item.guid, item.title, item.link, new Date(item.pubDate).toISOString(), item.description])).toEqual(
      atom.map((entry) => [entry.id, entry.title, entry.link, entry.updated, entry.summary]),
    );
  });

  it('gives an update the same entry id on every rendering, and the same page the same bytes', () => {
    const later = fixturePage({ recentIncidents: [{ ...apiIncident, updates: [{ id: 'upd0000000a3', body: 'Fixed.', status: 'resolved', postedAt: new Date('2026-03-10T10:00:00Z') }, ...apiIncident.updates] }] });
    const before = atomEntries(atomFeed(page, links)).map((entry) => entry.id);
    const after = atomEntries(atomFeed(later, links)).map((entry) => entry.id);
    expect(after[0]).toBe('https://status.example.com/status/main#update-upd0000000a3');
    expect(after.slice(1, 3)).toEqual(before.slice(0, 2));
    expect(atomFeed(page, links)).toBe(atomFeed(fixturePage(), links));
    expect(rssFeed(page, links)).toBe(rssFeed(fixturePage(), links));
  });

  it(`keeps the ${FEED_MAX_ENTRIES} newest entries`, () => {
    const busy: PublicIncident = { ...apiIncident, updates: manyUpdates(150, Date.parse('2026-03-10T00:00:00Z')).reverse() };
    const entries = atomEntries(atomFeed(fixturePage({ recentIncidents: [busy], recentMaintenances: [] }), links));
    expect(entries).toHaveLength(FEED_MAX_ENTRIES);
    expect(entries[0].id).toBe('https://status.example.com/status/main#update-upd000000149');
    expect(entries[FEED_MAX_ENTRIES - 1].id).toBe('https://status.example.com/status/main#update-upd000000050');
    expect(rssItems(rssFeed(fixturePage({ recentIncidents: [busy], recentMaintenances: [] }), links))).toHaveLength(FEED_MAX_ENTRIES);
  });

  it('keeps markup, CDATA ends and characters XML forbids from breaking either feed', () => {
    const hostile = ']]><script>alert(1)</script>]]> & "quotes" \u0000\u0007\uFFFF done';
    const incident: PublicIncident = { ...apiIncident, title: `Outage ]]> <b>${'&'}`, updates: [{ id: 'upd0000000x1', body: hostile, status: 'investigating', postedAt: new Date('2026-03-10T11:00:00Z') }] };
    const hostilePage = fixturePage({ title: 'Acme <&> status\u0001', recentIncidents: [incident], recentMaintenances: [] });
    const [entry] = atomEntries(atomFeed(hostilePage, links));
    const [item] = rssItems(rssFeed(hostilePage, links));
    const escapedBody = ']]&gt;&lt;script&gt;alert(1)&lt;/script&gt;]]&gt; &amp; &quot;quotes&quot;  done';
    expect(entry.summary).toContain(escapedBody);
    expect(entry.title).toBe('Outage ]]&gt; &lt;b&gt;&amp; — Investigating');
    expect(item.description).toContain(escapedBody);
    expect(text((xml2js(atomFeed(hostilePage, links), { compact: true }) as Node).feed.title)).toBe('Acme <&> status');
  });

  it('escapes text as HTML and keeps line breaks', () => {
    expect(htmlText('a < b && c > d\n"e"')).toBe('a &lt; b &amp;&amp; c &gt; d<br />&quot;e&quot;');
  });
});
