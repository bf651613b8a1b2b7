import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageLinks } from '../../src/status/page-links';
import { groupId } from '../../src/status/statuspage-components';
import {
  activeMaintenancesDocument,
  componentsDocument,
  incidentsDocument,
  maintenancesDocument,
  STATUSPAGE_V2_DOCUMENTS,
  statusDocument,
  summaryDocument,
  unresolvedIncidentsDocument,
  upcomingMaintenancesDocument,
} from '../../src/status/statuspage-v2';
import type { StatuspageComponent } from '../../src/status/statuspage-v2.types';
import { apiIncident, fixturePage } from './public-page-fixture';

type Json = Record<string, unknown>;

const FIXTURES = join(__dirname, '../fixtures/statuspage-v2');
const real = (name: string): Json => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const links = pageLinks('https://status.example.com', 'main');
const keys = (value: unknown) => Object.keys(value as Json).sort();
/** Our documents as a client receives them. */
const wire = (document: unknown): Json => JSON.parse(JSON.stringify(document));

const realIncidents = real('discord-incidents.json');
const realIncident = (realIncidents.incidents as Json[])[0];
const realMaintenance = (real('discord-scheduled-maintenances.json').scheduled_maintenances as Json[])[0];
const realComponent = (real('discord-components.json').components as Json[])[0];
const [realGroup] = real('hashicorp-group-components.json').components as Json[];

const FIXTURE_OF: Record<string, string> = {
  'summary.json': 'discord-summary.json',
  'status.json': 'discord-status.json',
  'components.json': 'discord-components.json',
  'incidents.json': 'discord-incidents.json',
  'incidents/unresolved.json': 'discord-incidents-unresolved.json',
  'scheduled-maintenances.json': 'discord-scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json': 'discord-scheduled-maintenances-upcoming.json',
  'scheduled-maintenances/active.json': 'discord-scheduled-maintenances-active.json',
};

describe('Statuspage v2 documents', () => {
  const page = fixturePage();

  it.each(Object.keys(FIXTURE_OF))('%s has the top-level fields and page fields of the real document', (path) => {
    const ours = wire(STATUSPAGE_V2_DOCUMENTS[path](page, links));
    const theirs = real(FIXTURE_OF[path]);
    expect(keys(ours)).toEqual(keys(theirs));
    expect(keys(ours.page)).toEqual(keys(theirs.page));
  });

  it('gives components, incidents, updates and maintenances exactly the fields of real ones', () => {
    const components = wire(componentsDocument(page, links)).components as Json[];
    for (const component of components.filter((entry) => !entry.group)) expect(keys(component)).toEqual(keys(realComponent));
    for (const group of components.filter((entry) => entry.group)) expect(keys(group)).toEqual(keys(realGroup));
    const incidents = wire(incidentsDocument(page, links)).incidents as Json[];
    for (const incident of incidents) {
      expect(keys(incident)).toEqual(keys(realIncident));
      for (const update of incident.incident_updates as Json[]) expect(keys(update)).toEqual(keys((realIncident.incident_updates as Json[])[0]));
    }
    const windows = wire(maintenancesDocument(page, links)).scheduled_maintenances as Json[];
    expect(windows).toHaveLength(3);
    for (const window of windows) {
      expect(keys(window)).toEqual(keys(realMaintenance));
      for (const update of window.incident_updates as Json[]) expect(keys(update)).toEqual(keys((realMaintenance.incident_updates as Json[])[0]));
    }
  });

  it('describes the page and its indicator', () => {
    expect(wire(statusDocument(page, links))).toEqual({
      page: { id: 'page00000001', name: 'Acme status', url: 'https://status.example.com/status/main', time_zone: 'Europe/Lisbon', updated_at: '2026-03-10T09:20:00.000Z' },
      status: { indicator: 'major', description: 'Partial System Outage' },
    });
  });

  it('lists each group as a component with its members and their worst state, followed by the members', () => {
    const components = componentsDocument(page, links).components;
    const core = groupId('page00000001', 'Core');
    const backOffice = groupId('page00000001', 'Back office');
    expect(components.map(({ id, name, status, position, group, group_id, components: members }) => ({ id, name, status, position, group, group_id, members }))).toEqual([
      { id: 'cmp000status', name: 'Status e-mails', status: 'operational', position: 1, group: false, group_id: null, members: undefined },
      { id: core, name: 'Core', status: 'partial_outage', position: 2, group: true, group_id: null, members: ['cmp00000api1', 'cmp00000web1'] },
      { id: 'cmp00000api1', name: 'API', status: 'partial_outage', position: 1, group: false, group_id: core, members: undefined },
      { id: 'cmp00000web1', name: 'Web', status: 'operational', position: 2, group: false, group_id: core, members: undefined },
      { id: backOffice, name: 'Back office', status: 'under_maintenance', position: 3, group: true, group_id: null, members: ['cmp0000000db'] },
      { id: 'cmp0000000db', name: 'Reports', status: 'under_maintenance', position: 1, group: false, group_id: backOffice, members: undefined },
    ]);
    const coreGroup = components.find((component) => component.id === core) as StatuspageComponent;
    expect([coreGroup.created_at, coreGroup.updated_at]).toEqual(['2026-01-01T00:00:00.000Z', '2026-03-10T09:00:00.000Z']);
    expect(components.every((component) => component.page_id === 'page00000001' && !component.only_show_if_degraded)).toBe(true);
  });

  it('derives a group id from the page and the name alone, the same every time, of public-id shape', () => {
    expect(groupId('page00000001', 'Core')).toBe(groupId('page00000001', 'Core'));
    expect(groupId('page00000001', 'Core')).not.toBe(groupId('page00000002', 'Core'));
    expect(groupId('page00000001', 'Core')).toMatch(/^[a-z2-7]{12}$/);
  });

  it('maps an incident with its public updates, newest first, and its components as they are now', () => {
    const [incident] = unresolvedIncidentsDocument(page, links).incidents;
    expect(wire(incident)).toEqual({
      id: 'inc0000000a1',
      name: 'Elevated API errors',
      status: 'identified',
      created_at: '2026-03-10T09:00:00.000Z',
      updated_at: '2026-03-10T09:20:00.000Z',
      monitoring_at: null,
      resolved_at: null,
      impact: 'major',
      shortlink: 'https://status.example.com/status/main#incident-inc0000000a1',
      started_at: '2026-03-10T09:00:00.000Z',
      page_id: 'page00000001',
      incident_updates: [
        {
          id: 'upd0000000a2',
          status: 'identified',
          body: 'We found the cause: a bad deploy.\nRolling back.',
          incident_id: 'inc0000000a1',
          created_at: '2026-03-10T09:20:00.000Z',
          updated_at: '2026-03-10T09:20:00.000Z',
          display_at: '2026-03-10T09:20:00.000Z',
          affected_components: null,
          deliver_notifications: true,
          custom_tweet: null,
          tweet_id: null,
        },
        expect.objectContaining({ id: 'upd0000000a1', status: 'investigating', body: 'We are investigating errors on the API.' }),
      ],
      components: [componentsDocument(page, links).components.find((component) => component.id === 'cmp00000api1')],
    });
  });

  it('lists the latest incidents in incidents.json and only open ones in unresolved.json and the summary', () => {
    expect(incidentsDocument(page, links).incidents.map((incident) => [incident.id, incident.status, incident.resolved_at])).toEqual([
      ['inc0000000a1', 'identified', null],
      ['inc0000000b1', 'resolved', '2026-03-01T13:00:00.000Z'],
    ]);
    expect(unresolvedIncidentsDocument(page, links).incidents.map((incident) => incident.id)).toEqual(['inc0000000a1']);
    expect(summaryDocument(page, links).incidents.map((incident) => incident.id)).toEqual(['inc0000000a1']);
  });

  it('maps windows with their schedule, shows a cancelled one as completed, and keeps it out of upcoming and active', () => {
    const all = maintenancesDocument(page, links).scheduled_maintenances;
    expect(all.map((window) => [window.id, window.status, window.scheduled_for, window.scheduled_until, window.resolved_at])).toEqual([
      ['mnt0000000b1', 'scheduled', '2026-03-20T22:00:00.000Z', '2026-03-20T23:00:00.000Z', null],
      ['mnt0000000a1', 'in_progress', '2026-03-10T08:00:00.000Z', '2026-03-10T10:00:00.000Z', null],
      ['mnt0000000c1', 'completed', '2026-03-05T22:00:00.000Z', '2026-03-05T23:00:00.000Z', '2026-03-04T10:00:00.000Z'],
    ]);
    expect(all[2].incident_updates.map((update) => update.status)).toEqual(['completed', 'scheduled']);
    expect(all[1].components.map((component) => [component.id, component.status])).toEqual([['cmp0000000db', 'under_maintenance']]);
    expect(upcomingMaintenancesDocument(page, links).scheduled_maintenances.map((window) => window.id)).toEqual(['mnt0000000b1']);
    expect(activeMaintenancesDocument(page, links).scheduled_maintenances.map((window) => window.id)).toEqual(['mnt0000000a1']);
    expect(summaryDocument(page, links).scheduled_maintenances.map((window) => window.id)).toEqual(['mnt0000000a1', 'mnt0000000b1']);
  });

  it('uses only Statuspage enum values and UTC ISO-8601 times in every document', () => {
    const statuses = new Set(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']);
    const incidentStatuses = new Set(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']);
    const maintenanceStatuses = new Set(['scheduled', 'in_progress', 'verifying', 'completed']);
    const impacts = new Set(['none', 'minor', 'major', 'critical']);
    const summary = wire(summaryDocument(page, links));
    const windows = wire(maintenancesDocument(page, links)).scheduled_maintenances as Json[];
    const incidents = wire(incidentsDocument(page, links)).incidents as Json[];
    expect((summary.components as Json[]).filter((component) => !statuses.has(component.status as string))).toEqual([]);
    expect(incidents.filter((incident) => !incidentStatuses.has(incident.status as string) || !impacts.has(incident.impact as string))).toEqual([]);
    expect(windows.filter((window) => !maintenanceStatuses.has(window.status as string) || !impacts.has(window.impact as string))).toEqual([]);
    expect(windows.flatMap((window) => window.incident_updates as Json[]).filter((update) => !maintenanceStatuses.has(update.status as string))).toEqual([]);
    const times = JSON.stringify([summary, windows, incidents]).match(/"[a-z_]+_(at|for|until)":"[^"]*"/g) ?? [];
    expect(times.length).toBeGreaterThan(20);
    expect(times.filter((field) => !/:"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/.test(field))).toEqual([]);
  });

  it('answers an empty page with empty lists', () => {
    const empty = fixturePage({ components: [], activeIncidents: [], recentIncidents: [], activeMaintenances: [], upcomingMaintenances: [], recentMaintenances: [], indicator: 'none', indicatorDescription: 'All Systems Operational' });
    expect(wire(summaryDocument(empty, links))).toEqual({
      page: wire(statusDocument(empty, links)).page,
      components: [],
      incidents: [],
      scheduled_maintenances: [],
      status: { indicator: 'none', description: 'All Systems Operational' },
    });
  });

  it('leaves out of an incident a component the page does not show', () => {
    const stray = { ...apiIncident, components: [...apiIncident.components, { id: 'cmpnotonpage', name: 'Elsewhere', impact: apiIncident.components[0].impact }] };
    const [incident] = incidentsDocument(fixturePage({ recentIncidents: [stray] }), links).incidents;
    expect(incident.components.map((component) => component.id)).toEqual(['cmp00000api1']);
  });
});
