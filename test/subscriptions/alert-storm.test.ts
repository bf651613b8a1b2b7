import request from 'supertest';
import { connectWs, Subscription } from '../api/ws-client';
import { startTestApp, type TestApp } from '../support/test-app';

/** One Alertmanager delivery of `count` firing alerts in one group. */
function stormBody(count: number, prefix: string) {
  return {
    version: '4',
    status: 'firing',
    receiver: 'storm',
    groupKey: `{}:{alertname="Storm-${prefix}"}`,
    groupLabels: { alertname: `Storm-${prefix}` },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: Array.from({ length: count }, (_, i) => ({
      status: 'firing',
      labels: { alertname: `Storm-${prefix}`, instance: `host-${i}`, severity: 'critical' },
      annotations: { summary: `host ${i} down` },
      startsAt: '2026-11-30T08:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `${prefix}-${i.toString(16).padStart(6, '0')}`,
    })),
  };
}

type Received = { alertReceived: { fingerprint: string; occurrences: number } };

describe('subscriptions during an alert storm', () => {
  let t: TestApp;
  let integration: { id: string; secret: string };

  beforeAll(async () => {
    t = await startTestApp({ config: { SUBSCRIPTION_MAX_PENDING: '2000' } });
    const service = await t.gql<{ createService: { service: { id: string } } }>(`mutation { createService(input: { name: "Fleet", slug: "fleet" }) { service { id } } }`);
    const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($s: ID!) { createIntegration(input: { name: "am", vendor: ALERTMANAGER, serviceId: $s }) { integration { id } secret } }`,
      { s: service.data!.createService.service.id },
    );
    integration = { id: created.data!.createIntegration.integration.id, secret: created.data!.createIntegration.secret };
  });
  afterAll(() => t.close());

  const deliver = (body: object) => request(t.url).post(`/webhooks/${integration.id}`).set('Authorization', `Bearer ${integration.secret}`).send(body);

  async function liveSubscription(client: ReturnType<typeof connectWs>, query = `subscription { alertReceived { fingerprint occurrences } }`) {
    const subscription = new Subscription<Received>(client, query);
    let probe = 0;
    await subscription.untilLive(
      async () => {
        const marker = `probe-${(probe += 1)}`;
        expect((await deliver(stormBody(1, marker))).status).toBe(202);
        return `${marker}-000000`;
      },
      (result, marker) => result.data?.alertReceived.fingerprint === marker,
    );
    return subscription;
  }

  /** Takes results until every fingerprint in `expected` was seen with at least `occurrences`. */
  async function collect(subscription: Subscription<Received>, expected: Set<string>, occurrences: number): Promise<Map<string, number>> {
    const seen = new Map<string, number>();
    let missing = expected.size;
    while (missing > 0) {
      const { data, errors } = await subscription.next(10_000);
      expect(errors).toBeUndefined();
      const { fingerprint, occurrences: count } = data!.alertReceived;
      if (!expected.has(fingerprint)) continue;
      if ((seen.get(fingerprint) ?? 0) < occurrences && count >= occurrences) missing -= 1;
      seen.set(fingerprint, Math.max(seen.get(fingerprint) ?? 0, count));
    }
    return seen;
  }

  it('survives 1,100 alerts in one body with a subscriber open, and again on the vendor’s retry; every alert reaches it', async () => {
    const client = connectWs(t, t.adminToken);
    try {
      const subscription = await liveSubscription(client);
      const body = stormBody(1100, 'storm');
      const fingerprints = new Set(body.alerts.map((alert) => alert.fingerprint));

      const first = await deliver(body);
      expect(first.status).toBe(202);
      expect(first.body.accepted).toBe(1100);
      expect(first.body.incidentIds).toHaveLength(1);
      expect((await collect(subscription, fingerprints, 1)).size).toBe(1100);

      const retry = await deliver(body);
      expect(retry.status).toBe(202);
      const afterRetry = await collect(subscription, fingerprints, 2);
      expect([...afterRetry.values()].every((count) => count === 2)).toBe(true);

      const [{ count }] = await t.app.db.query(`SELECT count(*)::int AS count FROM alert WHERE fingerprint LIKE 'storm-%' AND incident_id IS NOT NULL AND occurrences = 2`);
      expect(count).toBe(1100);
      expect((await request(t.url).get('/healthz')).status).toBe(200);
    } finally {
      await client.dispose();
    }
  });

  it('ends a subscription that falls too far behind with SUBSCRIPTION_OVERFLOW, while others keep receiving and ingestion goes on', async () => {
    const small = await startTestApp({ config: { SUBSCRIPTION_MAX_PENDING: '20' }, sameDatabaseAs: t });
    const behind = connectWs(small, small.adminToken);
    const keeping = connectWs(t, t.adminToken);
    try {
      const lagging = new Subscription<Received>(behind, `subscription { alertReceived { fingerprint occurrences } }`);
      const healthy = await liveSubscription(keeping);
      // The lagging instance's subscription is live once it has seen anything.
      await lagging.untilLive(
        async () => {
          const marker = `lag-${Date.now()}`;
          await deliver(stormBody(1, marker));
          return `${marker}-000000`;
        },
        (result, marker) => result.data?.alertReceived.fingerprint === marker,
      );

      const body = stormBody(300, 'overflow');
      expect((await deliver(body)).status).toBe(202);
      const error = (await lagging.ended(10_000)) as Array<{ extensions?: { code?: string } }>;
      expect(error[0].extensions?.code).toBe('SUBSCRIPTION_OVERFLOW');
      expect((await collect(healthy, new Set(body.alerts.map((alert) => alert.fingerprint)), 1)).size).toBe(300);
      expect((await deliver(stormBody(5, 'after-overflow'))).status).toBe(202);
    } finally {
      await behind.dispose();
      await keeping.dispose();
      await small.close();
    }
  });

  it('sends one event per alert of a delivery, carrying its occurrences, however often the alert repeats in it', async () => {
    const client = connectWs(t, t.adminToken);
    try {
      const subscription = await liveSubscription(client);
      const distinct = stormBody(25, 'twice');
      const body = { ...distinct, alerts: [...distinct.alerts, ...distinct.alerts] };
      expect((await deliver(body)).status).toBe(202);
      // A marker after the delivery: every event the delivery caused arrives before the marker's.
      expect((await deliver(stormBody(1, 'marker'))).status).toBe(202);
      const events: Array<{ fingerprint: string; occurrences: number }> = [];
      for (;;) {
        const { data } = await subscription.next(10_000);
        if (data!.alertReceived.fingerprint === 'marker-000000') break;
        events.push(data!.alertReceived);
      }
      expect(events).toHaveLength(25);
      expect(new Set(events.map((event) => event.fingerprint)).size).toBe(25);
      expect(events.every((event) => event.occurrences === 2)).toBe(true);
    } finally {
      await client.dispose();
    }
  });
});
