import request from 'supertest';
import { CHANGE_CHANNEL } from '../../src/db/changes';
import { connectWs, Subscription } from '../api/ws-client';
import { createGenericWebhook } from '../support/generic-webhook';
import { startTestApp, type TestApp } from '../support/test-app';

function trigger(dedupKey: string, severity = 'critical', action = 'trigger') {
  return { routing_key: 'x', event_action: action, dedup_key: dedupKey, payload: { summary: `alert ${dedupKey}`, source: 'probe', severity } };
}

describe('alerts API', () => {
  let t: TestApp;
  const integrations: Record<string, { id: string; secret: string }> = {};
  const services: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    for (const slug of ['checkout', 'search']) {
      const webhook = await createGenericWebhook(t, slug, slug);
      services[slug] = webhook.serviceId;
      integrations[slug] = { id: webhook.id, secret: webhook.secret };
    }
  });
  afterAll(() => t.close());

  const send = (slug: string, body: Record<string, unknown>) =>
    request(t.url).post(`/webhooks/${integrations[slug].id}`).set('Authorization', `Bearer ${integrations[slug].secret}`).send(body);

  it('lists alerts newest first with filters on status, severity, service and integration, and cursor paging', async () => {
    for (const key of ['c1', 'c2', 'c3']) expect((await send('checkout', trigger(key))).status).toBe(202);
    expect((await send('search', trigger('s1', 'warning'))).status).toBe(202);
    expect((await send('checkout', trigger('c1', 'critical', 'resolve'))).status).toBe(202);

    type Page = { alerts: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { fingerprint: string; status: string; severity: string } }> } };
    const query = `query($f: AlertFilterInput, $first: Int, $after: String) { alerts(filter: $f, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { fingerprint status severity summary occurrences } } } }`;

    const firing = await t.gql<Page>(query, { f: { status: ['FIRING'], serviceId: [services.checkout] } });
    expect(firing.data!.alerts.totalCount).toBe(2);
    expect(firing.data!.alerts.edges.map((e) => e.node.fingerprint)).toEqual(['c3', 'c2']);

    const warnings = await t.gql<Page>(query, { f: { severity: ['WARNING'] } });
    expect(warnings.data!.alerts.edges.map((e) => e.node.fingerprint)).toEqual(['s1']);

    const byIntegration = await t.gql<Page>(query, { f: { integrationId: [integrations.checkout.id], status: ['RESOLVED'] } });
    expect(byIntegration.data!.alerts.edges.map((e) => e.node)).toEqual([expect.objectContaining({ fingerprint: 'c1', status: 'RESOLVED' })]);

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { data?: Page } = await t.gql<Page>(query, { first: 2, after });
      seen.push(...page.data!.alerts.edges.map((e) => e.node.fingerprint));
      expect(page.data!.alerts.totalCount).toBe(4);
      after = page.data!.alerts.pageInfo.hasNextPage ? page.data!.alerts.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(['s1', 'c3', 'c2', 'c1']);
  });

  it('streams alertReceived after commit, filtered by service', async () => {
    const client = connectWs(t, t.adminToken);
    const subscription = new Subscription<{ alertReceived: { fingerprint: string; status: string } }>(
      client,
      `subscription($f: AlertSubscriptionFilter) { alertReceived(filter: $f) { fingerprint status } }`,
      { f: { serviceId: [services.search] } },
    );
    try {
      let probe = 0;
      await subscription.untilLive(
        async () => {
          const marker = `probe-${probe++}`;
          await send('search', trigger(marker, 'info'));
          return marker;
        },
        (result, marker) => result.data?.alertReceived.fingerprint === marker,
      );
      await send('checkout', trigger('not-for-this-subscriber'));
      await send('search', trigger('s2', 'warning'));
      await send('search', trigger('s2', 'warning', 'resolve'));
      const first = await subscription.next();
      const second = await subscription.next();
      expect([first.data, second.data]).toEqual([
        { alertReceived: { fingerprint: 's2', status: 'FIRING' } },
        { alertReceived: { fingerprint: 's2', status: 'RESOLVED' } },
      ]);
      expect(subscription.received).toHaveLength(0);

      // An instance of the previous version, during a rolling deploy, announces alerts as objects.
      const [row] = await t.app.db.query(`SELECT id, integration_id FROM alert WHERE fingerprint = 's2'`);
      const legacy = { alertId: row.id, integrationId: row.integration_id, serviceId: services.search, status: 'RESOLVED', severity: 'WARNING' };
      await t.app.db.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify({ topic: 'ALERTS_RECEIVED', alerts: [legacy] })]);
      expect((await subscription.next()).data).toEqual({ alertReceived: { fingerprint: 's2', status: 'RESOLVED' } });
    } finally {
      subscription.close();
      await client.dispose();
    }
  });
});
