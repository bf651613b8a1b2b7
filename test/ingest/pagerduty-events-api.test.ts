import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { alertsOf, fixtureBody, ingestCount, serviceWithIntegration } from '../support/vendor-api';

type Hook = Awaited<ReturnType<typeof serviceWithIntegration>>;

describe('drop-in PagerDuty Events API v2 (/v2/enqueue, /v2/change/enqueue)', () => {
  let t: TestApp;
  let hook: Hook;
  beforeAll(async () => {
    t = await startTestApp();
    hook = await serviceWithIntegration(t, 'pd-api', 'GENERIC');
  });
  afterAll(() => t.close());

  const enqueue = (body: unknown, path = '/v2/enqueue') => request(t.url).post(path).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const withKey = (relative: string, key = hook.key): Record<string, unknown> & { routing_key: string; dedup_key?: string } => ({ ...fixtureBody(relative), routing_key: key });
  const deadLetters = (reason: string) => t.app.db.query(`SELECT integration_id, http_status, details, body, headers FROM dead_letter WHERE reason = $1 ORDER BY received_at`, [reason]);

  it('takes a trigger without dedup_key, returns the generated key, and a resolve with it resolves the alert and its incident', async () => {
    const accepted = await enqueue(withKey('pagerduty-events/docs-trigger-without-dedup-key.json'));
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ status: 'success', message: 'Event processed', dedup_key: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const dedupKey = accepted.body.dedup_key as string;
    const [alert] = (await alertsOf(t, hook.id)).filter((row) => row.fingerprint === dedupKey);
    expect(alert).toMatchObject({ status: 'FIRING', severity: 'CRITICAL', summary: 'DISK at 99% on machine prod-datapipe03.example.com', labels: { component: 'mysql', group: 'prod-datapipe', class: 'deploy' } });
    expect(alert.incident_status).toBe('TRIGGERED');
    expect(alert.incident_priority).toBe('P1');

    // The same trigger again is the same alert (and the same key).
    expect((await enqueue(withKey('pagerduty-events/docs-trigger-without-dedup-key.json'))).body.dedup_key).toBe(dedupKey);

    const resolved = await enqueue({ routing_key: hook.key, event_action: 'resolve', dedup_key: dedupKey });
    expect(resolved.status).toBe(202);
    expect(resolved.body).toEqual({ status: 'success', message: 'Event processed', dedup_key: dedupKey });
    const after = (await alertsOf(t, hook.id)).filter((row) => row.fingerprint === dedupKey);
    expect(after).toHaveLength(1);
    // As the generic webhook does (autoResolve is on by default): the incident's last alert resolved it.
    expect(after[0]).toMatchObject({ status: 'RESOLVED', incident_status: 'RESOLVED' });
  });

  it("acknowledges the incident of Alertmanager's trigger by dedup_key, the alert staying open", async () => {
    const trigger = withKey('pagerduty-events/alertmanager-trigger.json');
    expect((await enqueue(trigger)).status).toBe(202);
    const ack = await enqueue({ routing_key: hook.key, event_action: 'acknowledge', dedup_key: trigger.dedup_key });
    expect(ack.status).toBe(202);
    expect(ack.body.dedup_key).toBe(trigger.dedup_key);
    const [alert] = (await alertsOf(t, hook.id)).filter((row) => row.fingerprint === trigger.dedup_key);
    expect(alert).toMatchObject({ status: 'FIRING', severity: 'HIGH', incident_status: 'ACKNOWLEDGED' });
  });

  it('answers 400 invalid event naming every invalid field, and keeps the event as a dead letter without its routing_key', async () => {
    const before = (await alertsOf(t, hook.id)).length;
    const answer = await enqueue({
      routing_key: hook.key,
      event_action: 'trigger',
      dedup_key: 'x'.repeat(256),
      payload: { summary: ' ', severity: 'fatal', timestamp: 'yesterday', component: 7 },
      links: [{ text: 'no href' }],
      images: 'not a list',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: [
        "'dedup_key' is too long (maximum 255 characters)",
        "'payload.summary' is missing or blank",
        "'payload.source' is missing or blank",
        "'payload.severity' is invalid (must be one of: critical, error, warning, info)",
        "'payload.timestamp' is not a valid ISO 8601 timestamp",
        "'payload.component' must be a string",
        "'images' must be an array",
        "'links[0].href' is missing or blank",
      ],
    });
    const otherErrors = await Promise.all([
      enqueue({ routing_key: hook.key }),
      enqueue({ routing_key: hook.key, event_action: 'escalate' }),
      enqueue({ routing_key: hook.key, event_action: 'resolve' }),
      enqueue({ routing_key: hook.key, event_action: 'trigger' }),
    ]);
    expect(otherErrors.map((response) => [response.status, response.body.errors])).toEqual([
      [400, ["'event_action' is missing or blank"]],
      [400, ["'event_action' is invalid (must be one of: trigger, acknowledge, resolve)"]],
      [400, ["'dedup_key' is missing or blank"]],
      [400, ["'payload' is missing or blank"]],
    ]);
    expect((await alertsOf(t, hook.id)).length).toBe(before);
    const letters = await deadLetters('schema_violation');
    expect(letters).toHaveLength(5);
    expect(letters[0].integration_id).toBe(hook.id);
    const kept = JSON.parse(letters[0].body.toString('utf8'));
    expect(kept.routing_key).toBe('[redacted]');
    expect(JSON.stringify(letters)).not.toContain(hook.key);
    expect(await ingestCount(t, 'GENERIC', 'schema_violation')).toBe(5);
  });

  it("answers an unknown routing_key, or a key of another vendor's integration, 400 Invalid routing key, keeping no body", async () => {
    const opsgenie = await serviceWithIntegration(t, 'pd-api-og', 'OPSGENIE');
    for (const key of ['whk_not-a-key', opsgenie.key]) {
      const answer = await enqueue(withKey('pagerduty-events/alertmanager-trigger.json', key));
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] });
    }
    const missing = await enqueue({ event_action: 'trigger', payload: { summary: 's', source: 'h', severity: 'info' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual(["'routing_key' is missing or blank"]);
    const letters = await t.app.db.query(`SELECT integration_id, body FROM dead_letter WHERE reason IN ('unknown_integration', 'unauthorized')`);
    expect(letters.length).toBeGreaterThan(0);
    for (const letter of letters) expect(letter).toEqual({ integration_id: null, body: null });
    expect(await alertsOf(t, opsgenie.id)).toEqual([]);
  });

  it("answers a body that is not JSON as PagerDuty's spec does: 400 Unrecognized object, JSON parse error", async () => {
    for (const path of ['/v2/enqueue', '/v2/change/enqueue']) {
      const answer = await request(t.url).post(path).set('Content-Type', 'application/json').send('{"routing_key": ');
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] });
    }
  });

  it('records a change event on the service, not as an alert', async () => {
    const alertsBefore = (await alertsOf(t, hook.id)).length;
    const answer = await enqueue(withKey('pagerduty-events/docs-change-event.json'), '/v2/change/enqueue');
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ status: 'success', message: 'Change event processed' });
    const [change] = await t.app.services.changeEvents.recent(hook.serviceId);
    expect(change).toMatchObject({
      integrationId: hook.id,
      summary: 'Build Success - Increase snapshot create timeout to 30 seconds',
      source: 'acme-build-pipeline-tool-default-i-9999',
      happenedAt: new Date('2020-07-17T08:42:58.315Z'),
      customDetails: { build_state: 'passed', build_number: '2', run_time: '1236s' },
      links: [{ href: 'https://acme.pagerduty.dev/build/2', text: 'View more details in Acme!' }],
    });
    expect((await alertsOf(t, hook.id)).length).toBe(alertsBefore);
    const listed = await t.gql<{ service: { changeEvents: Array<{ summary: string; links: Array<{ href: string }> }> } }>(
      `query($id: ID!) { service(id: $id) { changeEvents(first: 5) { summary source happenedAt links { href text } } } }`,
      { id: hook.serviceId },
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.service.changeEvents).toEqual([
      { summary: change.summary, source: change.source, happenedAt: '2020-07-17T08:42:58.315Z', links: [{ href: 'https://acme.pagerduty.dev/build/2', text: 'View more details in Acme!' }] },
    ]);
    const invalid = await enqueue({ routing_key: hook.key, payload: { source: 'ci' } }, '/v2/change/enqueue');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual(["'payload.summary' is missing or blank"]);
  });

  it("counts accepted events under the integration's vendor", async () => {
    expect(await ingestCount(t, 'GENERIC', 'accepted')).toBeGreaterThanOrEqual(6);
  });
});

describe('drop-in PagerDuty Events API v2 rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("answers 429 with Retry-After past the integration's limit, shared with its /webhooks route", async () => {
    const hook = await serviceWithIntegration(t, 'pd-limited', 'GENERIC', { rateLimitPerMinute: 2 });
    const body = { ...fixtureBody('pagerduty-events/alertmanager-trigger.json'), routing_key: hook.key };
    expect((await request(t.url).post('/v2/enqueue').send(body)).status).toBe(202);
    expect((await request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', `Bearer ${hook.key}`).send(body)).status).toBe(202);
    const refused = await request(t.url).post('/v2/enqueue').send(body);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.body).toEqual({ status: 'throttle event', message: 'Requests for this service are arriving too quickly. Please retry later.' });
    expect(await ingestCount(t, 'GENERIC', 'rate_limited')).toBe(1);
  });
});
