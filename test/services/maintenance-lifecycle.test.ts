import { ActorType, MaintenanceImpact, Priority } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const rita: Actor = { type: ActorType.PERSON, id: null, name: 'Rita Responder' };

describe('Maintenance lifecycle job', () => {
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let first: TestApp;
  let second: TestApp;
  let serviceId: string;
  let teamId: string;

  const services = () => first.app.services;
  /** Both runners at once, each on its own pool: two instances of the deployment. */
  const runBoth = () => Promise.all([first.app.services.maintenance.runDue(), second.app.services.maintenance.runDue()]);
  const eventsOf = async (windowId: string, kind: string) =>
    (await first.app.db.query(`SELECT count(*)::int AS n FROM maintenance_event WHERE window_id = $1 AND kind = $2`, [windowId, kind]))[0].n as number;

  beforeAll(async () => {
    first = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    second = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' }, sameDatabaseAs: first });
    serviceId = (await services().catalog.createService({ name: 'SMS gateway', slug: 'sms-gateway' })).id;
    teamId = (await services().teams.create({ name: 'DevOps', memberIds: [] })).id;
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('starts a window at startsAt and completes it at endsAt, each exactly once across two runners', async () => {
    const window = await services().maintenance.schedule(rita, { title: 'Kernel patch', serviceIds: [serviceId], teamId, startsAt: new Date('2026-06-01T10:00:00Z'), endsAt: new Date('2026-06-01T12:00:00Z') });
    clock.set('2026-06-01T09:59:59Z');
    await runBoth();
    expect((await services().maintenance.get(window.id)).status).toBe('SCHEDULED');
    clock.set('2026-06-01T10:00:00Z');
    await runBoth();
    await runBoth();
    const started = await services().maintenance.get(window.id);
    expect(started).toMatchObject({ status: 'IN_PROGRESS', startedAt: new Date('2026-06-01T10:00:00Z') });
    expect(await eventsOf(window.id, 'STARTED')).toBe(1);
    clock.set('2026-06-01T11:59:59Z');
    await runBoth();
    expect((await services().maintenance.get(window.id)).status).toBe('IN_PROGRESS');
    clock.set('2026-06-01T12:00:02Z');
    await runBoth();
    await runBoth();
    expect(await services().maintenance.get(window.id)).toMatchObject({ status: 'COMPLETED', completedAt: new Date('2026-06-01T12:00:02Z') });
    expect(await eventsOf(window.id, 'COMPLETED')).toBe(1);
    // Nothing was firing on the service: no overrun.
    expect(await eventsOf(window.id, 'OVERRAN')).toBe(0);
  });

  it('keeps an extended window running past its first end', async () => {
    clock.set('2026-06-02T09:00:00Z');
    const window = await services().maintenance.schedule(rita, { title: 'Disk swap', serviceIds: [serviceId], teamId, startsAt: new Date('2026-06-02T09:00:00Z'), endsAt: new Date('2026-06-02T10:00:00Z') });
    await runBoth();
    await services().maintenance.extend(rita, window.id, new Date('2026-06-02T11:00:00Z'), 'RAID rebuild is slow');
    clock.set('2026-06-02T10:30:00Z');
    await runBoth();
    expect((await services().maintenance.get(window.id)).status).toBe('IN_PROGRESS');
    clock.set('2026-06-02T11:00:00Z');
    await runBoth();
    expect((await services().maintenance.get(window.id)).status).toBe('COMPLETED');
  });

  it('opens its own incident for a MAJOR_OUTAGE when it starts (not paged) and resolves it when it completes', async () => {
    clock.set('2026-06-03T09:00:00Z');
    const other = (await services().catalog.createService({ name: 'Billing', slug: 'billing' })).id;
    const window = await services().maintenance.schedule(rita, {
      title: 'Core switch replacement',
      serviceIds: [serviceId, other],
      teamId,
      startsAt: new Date('2026-06-03T10:00:00Z'),
      endsAt: new Date('2026-06-03T11:00:00Z'),
      impact: [{ serviceId, impact: MaintenanceImpact.MAJOR_OUTAGE }],
      incidentPriority: Priority.P2,
    });
    expect(window.incidentId).toBeNull();
    clock.set('2026-06-03T10:00:00Z');
    await runBoth();
    const started = await services().maintenance.get(window.id);
    expect(started.incidentId).not.toBeNull();
    const incident = await services().incidents.get(started.incidentId!);
    expect(incident).toMatchObject({ source: 'MAINTENANCE', priority: 'P2', status: 'TRIGGERED', serviceId, title: 'Maintenance: Core switch replacement' });
    expect(await first.app.db.query(`SELECT 1 FROM incident_escalation WHERE incident_id = $1`, [incident.id])).toEqual([]);
    expect((await first.app.db.query(`SELECT count(*)::int AS n FROM incident WHERE source = 'MAINTENANCE'`))[0].n).toBe(1);
    clock.set('2026-06-03T10:30:00Z');
    await services().maintenance.complete(rita, window.id);
    expect(await services().incidents.get(incident.id)).toMatchObject({ status: 'RESOLVED', resolution: 'FIXED' });
  });

  it('records an overrun when the end passes with alerts still firing on its services', async () => {
    clock.set('2026-06-04T09:00:00Z');
    const window = await services().maintenance.schedule(rita, { title: 'Broker upgrade', serviceIds: [serviceId], teamId, startsAt: new Date('2026-06-04T09:00:00Z'), endsAt: new Date('2026-06-04T10:00:00Z') });
    await runBoth();
    const integration = await services().integrations.create({ name: 'prometheus', vendor: 'GENERIC', serviceId });
    await first.app.ingest.pipeline.ingest([
      {
        target: { integrationId: integration.integration.id, integrationName: 'prometheus', serviceId, options: {} },
        alerts: [{ fingerprint: 'broker-down', groupKey: 'broker', status: 'FIRING', severity: 'CRITICAL', vendorSeverity: null, kind: 'ALERT', summary: 'Broker down', description: null, source: null, labels: {}, annotations: {}, url: null, startsAt: null, endsAt: null, details: {} }],
      },
    ]);
    clock.advance(HOUR);
    await runBoth();
    expect(await services().maintenance.get(window.id)).toMatchObject({ status: 'COMPLETED' });
    const [overran] = await first.app.db.query(`SELECT data FROM maintenance_event WHERE window_id = $1 AND kind = 'OVERRAN'`, [window.id]);
    expect(overran.data).toMatchObject({ firingAlerts: 1 });
    expect((await first.app.db.query(`SELECT count(*)::int AS n FROM maintenance_notice WHERE window_id = $1 AND kind = 'OVERRUN'`, [window.id]))[0].n).toBe(1);
    // The re-evaluation after the end opened the incident the alert would have opened without the window.
    const [alert] = await first.app.db.query(`SELECT suppressed, suppressed_by, incident_id FROM alert WHERE fingerprint = 'broker-down'`);
    expect(alert).toMatchObject({ suppressed: false, suppressed_by: window.id });
    expect(alert.incident_id).not.toBeNull();
  });
});
