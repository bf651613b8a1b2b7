import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PayloadSchemaError } from '../../../src/ingest/normalized-alert';
import { MalformedFeedError } from '../../../src/ingest/vendors/status-feed-document';
import { MAX_FEED_ENTRIES, readStatusFeed } from '../../../src/ingest/vendors/status-feed.normalizer';
import { FIXTURES_ROOT } from './normalizer-fixtures';

const fixture = (relative: string) => readFileSync(path.join(FIXTURES_ROOT, 'status-feeds', relative), 'utf8');
const statuses = (text: string) => readStatusFeed(text).entries.map((entry) => [entry.entryId, entry.alert.status]);

describe('Status feed normalizer', () => {
  it('reads a Statuspage summary.json as a list of what is unresolved, through the Statuspage mapping', () => {
    const reading = readStatusFeed(fixture('statuspage-summary/1-investigating.json'));
    expect(reading).toMatchObject({ format: 'statuspage-json', listsOnlyUnresolved: true, omitted: 0 });
    expect(reading.entries).toHaveLength(1);
    expect(reading.entries[0].entryId).toBe('incident:n4njzfn1mqy0');
    expect(reading.entries[0].alert).toMatchObject({
      fingerprint: 'statuspage:srhpyqt94yxb:incident:n4njzfn1mqy0',
      status: 'FIRING',
      kind: 'PROVIDER_INCIDENT',
      summary: 'Messaging issues',
      severity: 'WARNING',
      vendorSeverity: 'minor',
      description: "We're investigating high latency related to channels and messages.",
    });
    expect(readStatusFeed(fixture('statuspage-summary/3-monitoring.json')).entries[0].alert.description).toMatch(/^We believe we have mitigated/);
    expect(readStatusFeed(fixture('statuspage-summary/4-resolved.json')).entries).toEqual([]);
  });

  it('reads incidents.json (resolved incidents listed too) by each incident status', () => {
    const reading = readStatusFeed(readFileSync(path.join(FIXTURES_ROOT, 'statuspage-v2/discord-incidents.json'), 'utf8'));
    expect(reading.listsOnlyUnresolved).toBe(false);
    expect(reading.entries.map((entry) => entry.alert.status)).toEqual(['RESOLVED']);
    expect(reading.entries[0].alert.endsAt).toEqual(new Date('2022-02-15T21:37:37.388Z'));
  });

  it('counts maintenance once it runs, not while it is only scheduled', () => {
    const summary = JSON.parse(fixture('statuspage-summary/4-resolved.json'));
    const maintenance = (id: string, status: string) => ({ id, name: `window ${id}`, status, impact: 'maintenance', created_at: '2026-12-01T00:00:00Z', incident_updates: [] });
    summary.scheduled_maintenances = [maintenance('m1', 'scheduled'), maintenance('m2', 'in_progress'), maintenance('m3', 'completed')];
    expect(statuses(JSON.stringify(summary))).toEqual([
      ['incident:m2', 'FIRING'],
      ['incident:m3', 'RESOLVED'],
    ]);
  });

  it('names the field at fault in a Statuspage document', () => {
    const summary = JSON.parse(fixture('statuspage-summary/1-investigating.json'));
    delete summary.incidents[0].status;
    const error = (() => {
      try {
        readStatusFeed(JSON.stringify(summary));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PayloadSchemaError);
    expect((error as PayloadSchemaError).path).toBe('incidents[0].status');
  });

  it('reads a Statuspage history.atom entry by the label of its latest update', () => {
    expect(statuses(fixture('atom/1-investigating.atom'))).toEqual([
      ['tag:status.example-sms.com,2005:Incident/24893021', 'FIRING'],
      ['tag:status.example-sms.com,2005:Incident/24811345', 'RESOLVED'],
    ]);
    const [identified] = readStatusFeed(fixture('atom/2-identified.atom')).entries;
    expect(identified.alert).toMatchObject({ status: 'FIRING', labels: { entry_status: 'identified' }, url: 'https://status.example-sms.com/incidents/k7r2w9x4hb1n' });
    expect(identified.alert.description?.split('\n')[1]).toBe('Identified - A faulty load balancer node was identified and removed from rotation.');
    const [resolved] = readStatusFeed(fixture('atom/3-resolved.atom')).entries;
    expect(resolved.alert).toMatchObject({ status: 'RESOLVED', fingerprint: 'feed:tag:status.example-sms.com,2005:Incident/24893021', endsAt: new Date('2026-12-03T11:12:30Z') });
  });

  it('keeps one entry per id when a feed repeats one', () => {
    const reading = readStatusFeed(fixture('atom/repeated.atom'));
    expect(reading.entries.map((entry) => entry.entryId)).toEqual(['tag:status.example-sms.com,2005:Incident/24893021', 'tag:status.example-sms.com,2005:Incident/24811345']);
  });

  it('reads Azure status RSS items as firing, and a title ending in Resolved or Mitigated as resolved', () => {
    const reading = readStatusFeed(fixture('rss/azure-active.rss'));
    expect(reading).toMatchObject({ format: 'rss', listsOnlyUnresolved: false });
    expect(reading.entries[0]).toMatchObject({ entryId: '3TLD-2R8', alert: { status: 'FIRING', summary: 'Azure Communication Services - West Europe - Investigating', source: 'Azure Status', startsAt: new Date('2026-12-03T10:15:00Z') } });
    expect(reading.entries[0].alert.description).toMatch(/^Impact Statement: Starting at 09:48 UTC/);
    const mitigated = fixture('rss/azure-active.rss').replace('West Europe - Investigating', 'West Europe - Mitigated');
    expect(statuses(mitigated)).toEqual([['3TLD-2R8', 'RESOLVED']]);
    expect(readStatusFeed(fixture('rss/azure-empty.rss')).entries).toEqual([]);
  });

  it.each([
    ['a feed cut off mid-entry', 'broken/truncated.atom', /invalid XML/],
    ['a CDN error page', 'broken/cdn-error-page.html', /invalid XML|not an Atom/],
    ['a summary.json cut off', 'broken/truncated-summary.json', /invalid JSON/],
  ])('refuses %s as malformed', (_what, file, message) => {
    expect(() => readStatusFeed(fixture(file))).toThrow(MalformedFeedError);
    expect(() => readStatusFeed(fixture(file))).toThrow(message);
  });

  it('refuses entity declarations, a format other than the one configured, and JSON that is no Statuspage document', () => {
    const billion = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>`;
    expect(() => readStatusFeed(billion)).toThrow('XML with entity declarations is refused');
    expect(() => readStatusFeed(fixture('rss/azure-active.rss'), 'atom')).toThrow('expected atom, got rss');
    expect(() => readStatusFeed('{"status": "ok"}')).toThrow('JSON that is not a Statuspage document');
    expect(() => readStatusFeed('   ')).toThrow('the feed is empty');
  });

  it(`reads at most ${MAX_FEED_ENTRIES} entries and counts the rest`, () => {
    const items = Array.from({ length: MAX_FEED_ENTRIES + 3 }, (_, index) => `<item><guid>g${index}</guid><title>t${index}</title></item>`).join('');
    const reading = readStatusFeed(`<rss version="2.0"><channel><title>many</title>${items}</channel></rss>`);
    expect(reading.entries).toHaveLength(MAX_FEED_ENTRIES);
    expect(reading.omitted).toBe(3);
  });
});
