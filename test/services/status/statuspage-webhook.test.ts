import { readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeStatuspageBody } from '../../../src/ingest/vendors/statuspage.normalizer';
import { ComponentState } from '../../../src/shared/enums';
import type { PublicIncident, PublicMaintenance } from '../../../src/services/status/public-page';
import { statuspageWebhookBody, type Stored, type WebhookContext } from '../../../src/services/status/statuspage-webhook';

/** Real Statuspage notifications (zulip/zulip's fixtures, verbatim; see test/fixtures/statuspage/SOURCES.md). */
const realIncident = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/statuspage/incident-identified.json'), 'utf8'));
const realComponent = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/statuspage/component-under-maintenance.json'), 'utf8'));

const stored = <T>(value: T): Stored<T> => JSON.parse(JSON.stringify(value));

const incident: PublicIncident = {
  id: 'k3v7d2q9xw4m',
  title: 'Checkout errors',
  status: 'identified',
  impact: 'major',
  createdAt: new Date('2026-06-01T10:00:00Z'),
  updatedAt: new Date('2026-06-01T10:20:00Z'),
  monitoringAt: null,
  resolvedAt: null,
  components: [{ id: 'c0mp0nentaaa', name: 'Checkout', impact: ComponentState.PARTIAL_OUTAGE }],
  updates: [
    { id: 'upd2xxxxxxxx', body: 'A faulty deploy was found and is being rolled back.', status: 'identified', postedAt: new Date('2026-06-01T10:20:00Z') },
    { id: 'upd1xxxxxxxx', body: 'We are investigating failed payments.', status: 'investigating', postedAt: new Date('2026-06-01T10:00:00Z') },
  ],
  provider: null,
  rcaPath: null,
};

const maintenance: PublicMaintenance = {
  id: 'm4intenance1',
  title: 'Database upgrade',
  description: 'A minor version upgrade.',
  status: 'cancelled',
  impact: 'minor',
  scheduledFor: new Date('2026-06-03T22:00:00Z'),
  scheduledUntil: new Date('2026-06-03T23:00:00Z'),
  createdAt: new Date('2026-06-01T09:00:00Z'),
  updatedAt: new Date('2026-06-02T09:00:00Z'),
  startedAt: null,
  completedAt: null,
  components: [{ id: 'c0mp0nentaaa', name: 'Checkout', impact: ComponentState.DEGRADED_PERFORMANCE }],
  updates: [{ id: 'mupd1xxxxxxx', body: 'Cancelled.', status: 'cancelled', postedAt: new Date('2026-06-02T09:00:00Z') }],
};

const context: WebhookContext = {
  page: { id: 'p4ge1d000000', status_indicator: 'major', status_description: 'Partial System Outage' },
  pageUrl: 'https://status.example.com/status/main',
  unsubscribeUrl: 'https://status.example.com/status/main/subscribers/unsubscribe?token=t',
  generatedAt: new Date('2026-06-01T10:20:05Z'),
};

const keys = (value: unknown) => Object.keys(value as object).sort();
const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Every key of the real example is in ours, with the same JSON type (null in either is fine: Statuspage sends both). */
function expectSameShape(ours: Record<string, unknown>, real: Record<string, unknown>, except: string[] = []): void {
  const missing = keys(real).filter((key) => !(key in ours) && !except.includes(key));
  expect(missing).toEqual([]);
  for (const key of keys(real)) {
    if (!(key in ours) || ours[key] === null || real[key] === null) continue;
    expect(`${key}: ${typeOf(ours[key])}`).toBe(`${key}: ${typeOf(real[key])}`);
  }
}

describe('Statuspage-format subscriber webhooks', () => {
  it("has the real incident notification's fields, page, meta, updates and components included", () => {
    const body = statuspageWebhookBody({ incident: stored(incident) }, context) as Record<string, Record<string, unknown> & { incident_updates: unknown[]; components: unknown[] }>;
    expectSameShape(body, realIncident);
    expectSameShape(body.meta, realIncident.meta);
    expectSameShape(body.page, realIncident.page);
    expectSameShape(body.incident, realIncident.incident);
    // An update's old and new component states are not part of our public view; Statuspage sends null there too.
    expectSameShape(body.incident.incident_updates[0] as Record<string, unknown>, realIncident.incident.incident_updates[0]);
    // An affected component's position and dates belong to the page's component list, not to an incident's view.
    expectSameShape(body.incident.components[0] as Record<string, unknown>, realIncident.incident.components[0], ['created_at', 'updated_at', 'position']);
    expect(body.incident).toMatchObject({ id: 'k3v7d2q9xw4m', page_id: 'p4ge1d000000', name: 'Checkout errors', status: 'identified', impact: 'major', created_at: '2026-06-01T10:00:00.000Z' });
    expect(body.incident.incident_updates[0]).toMatchObject({ id: 'upd2xxxxxxxx', incident_id: 'k3v7d2q9xw4m', status: 'identified', body: 'A faulty deploy was found and is being rolled back.' });
    expect(body.incident.components[0]).toMatchObject({ id: 'c0mp0nentaaa', name: 'Checkout', status: 'partial_outage' });
    expect(body.meta).toMatchObject({ unsubscribe: context.unsubscribeUrl, generated_at: '2026-06-01T10:20:05.000Z' });
  });

  it("has the real component notification's fields", () => {
    const body = statuspageWebhookBody(
      {
        componentChange: {
          id: 'chg1xxxxxxxx',
          component: stored({ id: 'c0mp0nentaaa', name: 'Checkout', description: null, position: 1, updatedAt: new Date('2026-06-01T10:00:00Z') }),
          from: ComponentState.OPERATIONAL,
          to: ComponentState.MAJOR_OUTAGE,
          at: '2026-06-01T10:00:00.000Z',
        },
      },
      context,
    ) as Record<string, Record<string, unknown>>;
    expectSameShape(body, realComponent);
    expectSameShape(body.component_update, realComponent.component_update);
    // A component's creation date is not part of the public page.
    expectSameShape(body.component, realComponent.component, ['created_at']);
    expect(body.component_update).toMatchObject({ component_id: 'c0mp0nentaaa', old_status: 'operational', new_status: 'major_outage' });
  });

  it('sends a cancelled window as a completed scheduled maintenance, since Statuspage has no cancelled', () => {
    const body = statuspageWebhookBody({ maintenance: stored(maintenance) }, context) as { incident: { status: string; impact: string; scheduled_for: string; incident_updates: Array<{ status: string }> } };
    expect(body.incident).toMatchObject({ status: 'completed', impact: 'maintenance', scheduled_for: '2026-06-03T22:00:00.000Z' });
    expect(body.incident.incident_updates[0].status).toBe('completed');
  });

  it("is read by our own Statuspage normalizer: an incident, a maintenance and a component change each make a provider alert", () => {
    const [fromIncident] = normalizeStatuspageBody(JSON.parse(JSON.stringify(statuspageWebhookBody({ incident: stored(incident) }, context))));
    expect(fromIncident).toMatchObject({
      fingerprint: 'statuspage:p4ge1d000000:incident:k3v7d2q9xw4m',
      status: 'FIRING',
      severity: 'HIGH',
      summary: 'Checkout errors',
      description: 'A faulty deploy was found and is being rolled back.',
      url: context.pageUrl,
    });
    const [fromMaintenance] = normalizeStatuspageBody(JSON.parse(JSON.stringify(statuspageWebhookBody({ maintenance: stored(maintenance) }, context))));
    expect(fromMaintenance).toMatchObject({ fingerprint: 'statuspage:p4ge1d000000:incident:m4intenance1', status: 'RESOLVED' });
    const change = { id: 'chg1xxxxxxxx', component: stored({ id: 'c0mp0nentaaa', name: 'Checkout', description: null, position: 1, updatedAt: new Date() }), from: ComponentState.OPERATIONAL, to: ComponentState.PARTIAL_OUTAGE, at: '2026-06-01T10:00:00.000Z' };
    const [fromComponent] = normalizeStatuspageBody(JSON.parse(JSON.stringify(statuspageWebhookBody({ componentChange: change }, context))));
    expect(fromComponent).toMatchObject({ fingerprint: 'statuspage:p4ge1d000000:component:c0mp0nentaaa', status: 'FIRING', severity: 'HIGH', summary: 'Checkout: partial outage' });
  });
});
