import { ActorType, Audience, Priority } from '../../../src/schema/enums';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { openTwoInstances, type TwoInstances } from '../../support/two-instances';

const rita: Actor = { type: ActorType.PERSON, id: null, name: 'Rita Responder' };

interface ComponentEvent {
  page: string;
  subject: string;
  change: { from: string; to: string; component: { name: string } };
}

describe('Component changes announced once, from the derived states', () => {
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let both: TwoInstances;
  let serviceId: string;
  let teamId: string;

  const reconcileBoth = () => Promise.all([both.a.statusComponents.reconcile(), both.b.statusComponents.reconcile()]);
  const events = async (): Promise<ComponentEvent[]> =>
    both.first.query(
      `SELECT p.slug AS page, e.subject, e.payload->'componentChange' AS change FROM status_event e JOIN status_page p ON p.id = e.page_id
        WHERE e.kind = 'COMPONENT' ORDER BY e.created_at, p.slug`,
    );
  const transitions = async () => (await events()).map((event) => `${event.page}: ${event.change.from} → ${event.change.to}`);
  const publish = async (title: string, priority = Priority.P2) => {
    const incident = await both.a.incidents.declare(rita, { title, serviceId, priority });
    await both.a.statusUpdates.post(rita, incident.id, `${title}: we are investigating.`, Audience.PUBLIC);
    return incident;
  };

  beforeAll(async () => {
    both = await openTwoInstances(clock);
    serviceId = (await both.a.catalog.createService({ name: 'Checkout', slug: 'checkout', public: true })).id;
    teamId = (await both.a.teams.create({ name: 'Payments', memberIds: [] })).id;
  });
  afterAll(async () => {
    await both.close();
  });
  beforeEach(async () => {
    clock.advance(60_000);
  });

  it('announces nothing while every component is as it was (never announced counts as operational)', async () => {
    await reconcileBoth();
    expect(await events()).toEqual([]);
    const [row] = await both.first.query(`SELECT state FROM status_component_state WHERE service_id = $1`, [serviceId]);
    expect(row).toEqual({ state: 'OPERATIONAL' });
  });

  it('announces a published incident once across two instances, and not an unpublished one', async () => {
    await both.a.incidents.declare(rita, { title: 'Not published', serviceId, priority: Priority.P1 });
    await reconcileBoth();
    expect(await events()).toEqual([]);
    await publish('Checkout errors');
    await reconcileBoth();
    await reconcileBoth();
    const [event] = await events();
    expect(await transitions()).toEqual(['main: OPERATIONAL → PARTIAL_OUTAGE']);
    expect(event.subject).toBe('Checkout: partial outage');
    expect(event.change.component.name).toBe('Checkout');
  });

  it('announces each change of a flapping component, the way back included, each under its own key', async () => {
    const before = (await events()).length;
    const [open] = await both.first.query(`SELECT id FROM incident WHERE title = 'Checkout errors'`);
    await both.a.incidents.resolve(rita, open.id);
    await reconcileBoth();
    clock.advance(60_000);
    const again = await publish('Checkout errors again', Priority.P3);
    await reconcileBoth();
    clock.advance(60_000);
    await both.a.incidents.resolve(rita, again.id);
    await reconcileBoth();
    expect((await transitions()).slice(before)).toEqual(['main: PARTIAL_OUTAGE → OPERATIONAL', 'main: OPERATIONAL → DEGRADED_PERFORMANCE', 'main: DEGRADED_PERFORMANCE → OPERATIONAL']);
  });

  it('announces maintenance on every page showing the component, once per page', async () => {
    const [page] = await both.first.query(
      `INSERT INTO status_page (slug, title, time_zone, kind, created_at, updated_at) VALUES ('checkout-status', 'Checkout status', 'UTC', 'SERVICES', now(), now()) RETURNING id`,
    );
    await both.first.query(`INSERT INTO status_page_component (page_id, service_id, position) VALUES ($1, $2, 1)`, [page.id, serviceId]);
    await reconcileBoth();
    const before = (await events()).length;
    const window = await both.a.maintenance.schedule(rita, { title: 'Card vault upgrade', serviceIds: [serviceId], teamId, startsAt: clock.now(), endsAt: new Date(clock.now().getTime() + 3_600_000) });
    await both.a.maintenance.start(rita, window.id);
    await reconcileBoth();
    await reconcileBoth();
    expect((await transitions()).slice(before)).toEqual(['checkout-status: OPERATIONAL → UNDER_MAINTENANCE', 'main: OPERATIONAL → UNDER_MAINTENANCE']);
  });
});
