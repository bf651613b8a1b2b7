import request from 'supertest';
import { connectWs, Subscription } from '../api/ws-client';
import { createGenericWebhook } from '../support/generic-webhook';
import { startTestApp, type TestApp } from '../support/test-app';

type Received = { alertReceived: { fingerprint: string } };

/** One Generic (PagerDuty Events v2) trigger whose dedup_key is `fingerprint`. */
const trigger = (fingerprint: string) => ({ event_action: 'trigger', dedup_key: fingerprint, payload: { summary: `${fingerprint} failing`, source: 'db-1', severity: 'warning' } });

/**
 * A subscriber whose instance hears a change but cannot read the row it names (its pool's connections to PostgreSQL
 * are cut; its change listener's is not): the subscription ends with SERVICE_UNAVAILABLE, so the client resumes
 * after its last cursor once the database is back and gets that change, instead of an error event and a gap.
 */
describe('a subscription event that cannot be read during a database outage', () => {
  let t: TestApp;
  let other: TestApp;
  let integration: { id: string; secret: string };

  beforeAll(async () => {
    const config = { JOBS_ENABLED: 'false', DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '1000' };
    t = await startTestApp({ throughProxy: true, listenAroundProxy: true, config });
    other = await startTestApp({ sameDatabaseAs: t, config });
    integration = await createGenericWebhook(other, 'Fleet');
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const deliver = async (fingerprint: string) => {
    const response = await request(other.url).post(`/webhooks/${integration.id}`).set('Authorization', `Bearer ${integration.secret}`).send(trigger(fingerprint));
    expect(response.status).toBe(202);
    return fingerprint;
  };

  it('ends with SERVICE_UNAVAILABLE, and resuming after its last cursor brings the change it could not read', async () => {
    const client = connectWs(t, t.adminToken);
    try {
      const subscription = new Subscription<Received>(client, `subscription { alertReceived { fingerprint } }`);
      let probe = 0;
      let cursor: string | undefined;
      await subscription.untilLive(
        () => deliver(`probe-${(probe += 1)}`),
        (result, marker) => {
          const matched = result.data?.alertReceived.fingerprint === marker;
          if (matched) cursor = (result.extensions as { cursor?: string } | undefined)?.cursor;
          return matched;
        },
      );
      expect(cursor).toMatch(/^\d+$/);

      t.proxy!.cut('refuse');
      await deliver('during-the-cut');
      const error = (await subscription.ended(15_000)) as Array<{ extensions?: { code?: string } }>;
      expect(Array.isArray(error) ? error[0].extensions?.code : error).toBe('SERVICE_UNAVAILABLE');
      expect(subscription.received.filter((result) => result.errors?.length)).toEqual([]);

      t.proxy!.restore();
      const resumed = new Subscription<Received>(client, `subscription($after: String) { alertReceived(after: $after) { fingerprint } }`, { after: cursor });
      for (;;) {
        const result = await resumed.next(15_000);
        expect(result.errors).toBeUndefined();
        if (result.data?.alertReceived.fingerprint === 'during-the-cut') break;
      }
    } finally {
      await client.dispose();
    }
  });
});
