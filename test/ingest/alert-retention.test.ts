import request from 'supertest';
import { Vendor } from '../../src/schema/enums';
import { AlertRetentionService } from '../../src/services/alert-retention.service';
import { systemClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

describe('alert retention (ALERT_RETENTION_DAYS)', () => {
  let t: TestApp;
  let hook: { id: string; secret: string };
  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    const service = await t.app.services.catalog.createService({ name: 'Retention', slug: 'retention' });
    const { integration, secret } = await t.app.services.integrations.create({ name: 'generic', vendor: Vendor.GENERIC, serviceId: service.id });
    hook = { id: integration.id, secret };
  });
  afterAll(() => t.close());

  const send = (dedupKey: string, action: 'trigger' | 'resolve') =>
    request(t.url)
      .post(`/webhooks/${hook.id}`)
      .set('Authorization', `Bearer ${hook.secret}`)
      .send({ event_action: action, dedup_key: dedupKey, payload: { summary: dedupKey, source: 'test', severity: 'info' } });
  const fingerprints = async () => (await t.app.db.query(`SELECT fingerprint FROM alert ORDER BY fingerprint`)).map((row: { fingerprint: string }) => row.fingerprint);

  it('deletes resolved alerts of closed incidents past the retention, and keeps firing ones, recent ones and those of open incidents', async () => {
    for (const key of ['old-closed', 'recent-closed', 'old-open-incident', 'firing']) expect((await send(key, 'trigger')).status).toBe(202);
    for (const key of ['old-closed', 'recent-closed', 'old-open-incident']) expect((await send(key, 'resolve')).status).toBe(202);
    // The incident of old-open-incident is reopened by hand work: it stays open while its alert is resolved.
    await t.app.db.query(`UPDATE incident SET status = 'ACKNOWLEDGED', resolved_at = NULL, resolution = NULL WHERE id = (SELECT incident_id FROM alert WHERE fingerprint = 'old-open-incident')`);
    await t.app.db.query(`UPDATE alert SET resolved_at = now() - interval '100 days' WHERE fingerprint IN ('old-closed', 'old-open-incident')`);

    expect(await new AlertRetentionService(t.app.db, systemClock, 90).prune()).toBe(1);
    expect(await fingerprints()).toEqual(['firing', 'old-open-incident', 'recent-closed']);
    const [{ incidents }] = await t.app.db.query(`SELECT count(*)::int AS incidents FROM incident`);
    expect(incidents).toBe(4);
  });
});
