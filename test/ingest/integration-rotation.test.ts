import { Vendor } from '../../src/schema/enums';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

describe('rotating an integration secret', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('takes effect on this instance as soon as it is answered, even when its change notification never arrives', async () => {
    const service = await t.app.services.catalog.createService({ name: 'Rotating', slug: 'rotating' });
    const { integration, secret } = await t.app.services.integrations.create({ name: 'generic', vendor: Vendor.GENERIC, serviceId: service.id });
    const body = { event_action: 'trigger', dedup_key: 'rot-1', payload: { summary: 'rotating', source: 'test', severity: 'info' } };
    expect((await request(t.url).post(`/webhooks/${integration.id}`).set('Authorization', `Bearer ${secret}`).send(body)).status).toBe(202);
    expect(t.app.ingest.integrationCache.peek(integration.id)).toBeDefined();

    // This instance's LISTEN connection drops (a database blip): the notification of the rotation is lost to it.
    await t.app.db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'incident-bridge-listener' AND datname = current_database()`);
    const rotated = await t.app.services.integrations.rotateSecret(integration.id, 0);
    expect(t.app.ingest.integrationCache.peek(integration.id)).toBeUndefined();
    expect((await request(t.url).post(`/webhooks/${integration.id}`).set('Authorization', `Bearer ${rotated.secret}`).send(body)).status).toBe(202);
    expect((await request(t.url).post(`/webhooks/${integration.id}`).set('Authorization', `Bearer ${secret}`).send(body)).status).toBe(401);
  });
});
