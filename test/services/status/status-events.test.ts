import { ActorType, Audience, IncidentSource, MaintenanceImpact, Priority } from '../../../src/schema/enums';
import { recordStatusEvent } from '../../../src/services/status/status-events';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { StatusPageKind } from '../../../src/shared/enums';
import { startTestApp, type TestApp } from '../../support/test-app';

const rita: Actor = { type: ActorType.PERSON, id: null, name: 'Rita Responder' };

interface EventRow {
  key: string;
  kind: string;
  page_id: string | null;
  page_kind: string;
  service_ids: string[];
  subject: string;
  body: string;
  payload: Record<string, unknown>;
}

describe('Status events: what subscribers are to be told, recorded with what caused it', () => {
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let first: TestApp;
  let second: TestApp;
  let publicService: string;
  let privateService: string;
  let teamId: string;
  const services = () => first.app.services;
  const events = async (): Promise<EventRow[]> => first.app.db.query(`SELECT key, kind, page_id, page_kind, service_ids, subject, body, payload FROM status_event ORDER BY created_at, key`);
  const declare = (title: string, serviceId = publicService, source = IncidentSource.INTERNAL) => services().incidents.declare(rita, { title, serviceId, priority: Priority.P2, source });

  beforeAll(async () => {
    first = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    second = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' }, sameDatabaseAs: first });
    publicService = (await services().catalog.createService({ name: 'Checkout', slug: 'checkout', public: true })).id;
    privateService = (await services().catalog.createService({ name: 'Billing batch', slug: 'billing-batch' })).id;
    teamId = (await services().teams.create({ name: 'Payments', memberIds: [] })).id;
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });
  beforeEach(async () => {
    await first.app.db.query(`DELETE FROM status_event`);
  });

  it('records a PUBLIC update and nothing for an INTERNAL one', async () => {
    const incident = await declare('Checkout errors');
    await services().statusUpdates.post(rita, incident.id, 'Rolled back build 4411 on pod checkout-7; DB failover pending.', Audience.INTERNAL);
    const update = await services().statusUpdates.post(rita, incident.id, 'We are investigating failed payments.', Audience.PUBLIC);
    expect(await events()).toEqual([
      {
        key: `incident-update:${update.id}`,
        kind: 'INCIDENT_UPDATE',
        page_id: null,
        page_kind: StatusPageKind.SERVICES,
        service_ids: [publicService],
        subject: 'Checkout errors — Investigating',
        body: 'We are investigating failed payments.',
        payload: { about: { type: 'incident', id: incident.id }, statusUpdateId: update.id, status: 'investigating' },
      },
    ]);
  });

  it("tells the incident's stated components, and PROVIDERS pages of a provider's incident", async () => {
    const incident = await declare('Payments degraded', publicService, IncidentSource.PROVIDER);
    await first.app.db.query(`INSERT INTO incident_component_impact (incident_id, service_id, impact) VALUES ($1, $2, 'PARTIAL_OUTAGE'), ($1, $3, 'DEGRADED_PERFORMANCE')`, [incident.id, publicService, privateService]);
    await services().statusUpdates.post(rita, incident.id, 'Our card processor reports delays.', Audience.PUBLIC);
    const [event] = await events();
    expect(event.page_kind).toBe(StatusPageKind.PROVIDERS);
    expect([...event.service_ids].sort()).toEqual([publicService, privateService].sort());
  });

  it('records an event once per key, however often the decision is retried', async () => {
    const event = { key: 'test:once', kind: 'COMPONENT' as const, pageId: null, pageKind: StatusPageKind.SERVICES, serviceIds: [publicService], subject: 's', body: 'b', about: { type: 'component' as const, id: publicService }, at: clock.now() };
    const decided = await Promise.all([first.app.db.transaction((manager) => recordStatusEvent(manager, event)), second.app.db.transaction((manager) => recordStatusEvent(manager, event))]);
    expect(decided.sort()).toEqual([false, true]);
    expect((await events()).map((row) => row.key)).toEqual(['test:once']);
  });

  it("tells a public window's notices in customers' words: scheduled, started once across two runners, cancelled", async () => {
    clock.set('2026-06-01T09:00:00Z');
    const window = await services().maintenance.schedule(rita, {
      title: 'Database upgrade',
      description: 'A minor version upgrade of the payments database.',
      serviceIds: [publicService, privateService],
      teamId,
      startsAt: new Date('2026-06-01T10:00:00Z'),
      endsAt: new Date('2026-06-01T12:00:00Z'),
    });
    clock.set('2026-06-01T10:00:00Z');
    await Promise.all([first.app.services.maintenance.runDue(), second.app.services.maintenance.runDue()]);
    await Promise.all([first.app.services.maintenance.runDue(), second.app.services.maintenance.runDue()]);
    // An hour in: the team's hourly notice, not the subscribers'.
    clock.set('2026-06-01T11:00:00Z');
    await services().maintenance.runDue();
    expect((await first.app.db.query(`SELECT kind FROM maintenance_notice WHERE window_id = $1 ORDER BY decided_at`, [window.id])).map((row: { kind: string }) => row.kind)).toEqual(['ANNOUNCED', 'STARTED', 'HOURLY']);
    await services().maintenance.cancel(rita, window.id, 'Vendor patch pulled after the pager storm on db-7');
    const rows = await events();
    expect(rows.map((row) => [row.key, row.subject])).toEqual([
      [`maintenance:${window.id}:ANNOUNCED:once`, 'Scheduled maintenance: Database upgrade'],
      [`maintenance:${window.id}:STARTED:once`, 'Maintenance in progress: Database upgrade'],
      [`maintenance:${window.id}:CANCELLED:once`, 'Maintenance cancelled: Database upgrade'],
    ]);
    expect(rows[0].body).toBe('Maintenance is scheduled from 2026-06-01 10:00 UTC to 2026-06-01 12:00 UTC. Affected: Checkout.\n\nA minor version upgrade of the payments database.');
    for (const row of rows) {
      expect(row).toMatchObject({ kind: 'MAINTENANCE', page_kind: StatusPageKind.SERVICES, service_ids: [publicService], payload: { about: { type: 'maintenance', id: window.id } } });
      // Only public material: neither the private service, nor the team's concerns, nor the reason given internally.
      expect(row.body).not.toMatch(/Billing batch|suppress|alert|pager|db-7/i);
    }
  });

  it('tells nothing of a window without an impact on a public service', async () => {
    await services().maintenance.schedule(rita, {
      title: 'Batch host reboot',
      serviceIds: [publicService, privateService],
      impact: [{ serviceId: publicService, impact: MaintenanceImpact.NONE }],
      teamId,
      startsAt: new Date('2026-06-05T10:00:00Z'),
      endsAt: new Date('2026-06-05T11:00:00Z'),
    });
    // The marker: a public window scheduled after it is the only one told.
    const told = await services().maintenance.schedule(rita, { title: 'Card vault rotation', serviceIds: [publicService], teamId, startsAt: new Date('2026-06-06T10:00:00Z'), endsAt: new Date('2026-06-06T11:00:00Z') });
    expect((await events()).map((row) => row.key)).toEqual([`maintenance:${told.id}:ANNOUNCED:once`]);
  });
});
