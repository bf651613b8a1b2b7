import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { alertsOf, fixtureBody, ingestCount, serviceWithIntegration } from '../support/vendor-api';

type Hook = Awaited<ReturnType<typeof serviceWithIntegration>>;

const ACCEPTED = { result: 'Request will be processed', took: expect.any(Number), requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) };

describe('drop-in Opsgenie Alert API (/v2/alerts)', () => {
  let t: TestApp;
  let other: TestApp;
  let hook: Hook;
  beforeAll(async () => {
    t = await startTestApp();
    // Another instance of the same deployment: a client may poll whichever one its load balancer picks.
    other = await startTestApp({ sameDatabaseAs: t });
    hook = await serviceWithIntegration(t, 'og-api', 'OPSGENIE');
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  const post = (path: string, body: unknown, key = hook.key) =>
    request(t.url).post(path).set('Authorization', `GenieKey ${key}`).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const poll = (app: TestApp, requestId: string, key = hook.key) => request(app.url).get(`/v2/alerts/requests/${requestId}`).set('Authorization', `GenieKey ${key}`);
  const requestOf = (relative: string) => fixtureBody(relative).request as Record<string, unknown>;

  it("creates an alert from Opsgenie's documented request and reports it on the request status, from any instance", async () => {
    const created = await post('/v2/alerts', requestOf('opsgenie/create-docs.json'));
    expect(created.status).toBe(202);
    expect(created.body).toEqual(ACCEPTED);
    const [alert] = await alertsOf(t, hook.id);
    expect(alert).toMatchObject({
      fingerprint: 'Life is too short for no alias',
      status: 'FIRING',
      severity: 'CRITICAL',
      summary: 'An example alert message',
      labels: { key1: 'value1', key2: 'value2' },
      details: { entity: 'An example entity', tags: ['OverwriteQuietHours', 'Critical'], actions: ['Restart', 'AnExampleAction'] },
      incident_status: 'TRIGGERED',
      incident_priority: 'P1',
    });
    expect((alert.details.responders as unknown[]).length).toBe(8);

    const status = await poll(other, created.body.requestId);
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      data: {
        success: true,
        action: 'Create',
        processedAt: expect.any(String),
        integrationId: hook.id,
        isSuccess: true,
        status: 'Created alert',
        alertId: alert.id,
        alias: 'Life is too short for no alias',
      },
      took: expect.any(Number),
      requestId: expect.any(String),
    });
  });

  it('acknowledges by alias, adds a note and closes by id', async () => {
    const [alert] = (await alertsOf(t, hook.id)).filter((row) => row.fingerprint === 'Life is too short for no alias');
    const ack = await post(`/v2/alerts/${encodeURIComponent('Life is too short for no alias')}/acknowledge?identifierType=alias`, requestOf('opsgenie/acknowledge-docs.json'));
    expect(ack.status).toBe(202);
    expect((await alertsOf(t, hook.id)).find((row) => row.id === alert.id)).toMatchObject({ status: 'FIRING', incident_status: 'ACKNOWLEDGED' });
    expect((await poll(t, ack.body.requestId)).body.data).toMatchObject({ action: 'Acknowledge', status: 'Acknowledged alert', isSuccess: true, alertId: alert.id });

    const note = await post(`/v2/alerts/${alert.id}/notes`, { ...requestOf('opsgenie/note-docs.json'), note: 'Restarted the primary' });
    expect(note.status).toBe(202);
    expect((await poll(t, note.body.requestId)).body.data).toMatchObject({ action: 'AddNote', status: 'Added note', isSuccess: true });
    const timeline = await t.app.db.query(`SELECT kind, message, actor_type, actor_name FROM timeline_event WHERE incident_id = $1 AND kind = 'NOTE_ADDED'`, [alert.incident_id]);
    expect(timeline).toEqual([{ kind: 'NOTE_ADDED', message: 'Restarted the primary', actor_type: 'INTEGRATION', actor_name: 'og-api (Monitoring Script)' }]);

    const close = await post(`/v2/alerts/${alert.id}/close?identifierType=id`, { user: 'Monitoring Script', source: 'AWS Lambda', note: 'Action executed via Alert API' });
    expect(close.status).toBe(202);
    expect((await alertsOf(t, hook.id)).find((row) => row.id === alert.id)).toMatchObject({ status: 'RESOLVED', incident_status: 'RESOLVED' });
    expect((await poll(t, close.body.requestId)).body.data).toMatchObject({ action: 'Close', status: 'Closed alert', isSuccess: true, alertId: alert.id });
  });

  it("maps Alertmanager's P5 onto P4 and closes its alert by alias as Alertmanager does", async () => {
    const created = await post('/v2/alerts', requestOf('opsgenie/create-alertmanager.json'));
    expect(created.status).toBe(202);
    const alias = fixtureBody('opsgenie/close-alertmanager.json').alias as string;
    expect((await alertsOf(t, hook.id)).find((row) => row.fingerprint === alias)).toMatchObject({ severity: 'INFO', incident_priority: 'P4', labels: { alertname: 'HighLatency' } });
    const closed = await post(`/v2/alerts/${alias}/close?identifierType=alias`, requestOf('opsgenie/close-alertmanager.json'));
    expect(closed.status).toBe(202);
    expect((await alertsOf(t, hook.id)).find((row) => row.fingerprint === alias)).toMatchObject({ status: 'RESOLVED' });
  });

  it('takes a request for an alert that does not exist and says so in its status, as Opsgenie does', async () => {
    for (const path of ['/v2/alerts/no-such-alias/close?identifierType=alias', '/v2/alerts/00000000-0000-4000-8000-000000000000/acknowledge', '/v2/alerts/no-such-alias/notes?identifierType=alias']) {
      const answer = await post(path, { note: 'n' });
      expect(answer.status).toBe(202);
      expect((await poll(t, answer.body.requestId)).body.data).toMatchObject({ success: false, isSuccess: false, status: 'Alert does not exist' });
    }
    const tiny = await post('/v2/alerts/42/close?identifierType=tiny', {});
    expect(tiny.status).toBe(422);
    expect(tiny.body.message).toContain('tiny');
  });

  it('answers a bad GenieKey 401 Could not authenticate, and keeps no body', async () => {
    const pagerDuty = await serviceWithIntegration(t, 'og-api-pd', 'GENERIC');
    const answers = [
      await post('/v2/alerts', requestOf('opsgenie/create-docs.json'), 'not-a-key'),
      await post('/v2/alerts', requestOf('opsgenie/create-docs.json'), pagerDuty.key),
      await request(t.url).post('/v2/alerts').set('Authorization', `Bearer ${hook.key}`).send(requestOf('opsgenie/create-docs.json')),
      await poll(t, '00000000-0000-4000-8000-000000000000', 'not-a-key'),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ message: 'Could not authenticate', took: expect.any(Number), requestId: expect.any(String) });
    }
    expect(await alertsOf(t, pagerDuty.id)).toEqual([]);
    const letters = await t.app.db.query(`SELECT integration_id, body FROM dead_letter WHERE reason IN ('unknown_integration', 'unauthorized')`);
    for (const letter of letters) expect(letter).toEqual({ integration_id: null, body: null });
  });

  it('answers an invalid body 422 naming each field, dead-lettered, and unparseable JSON 400', async () => {
    const before = (await alertsOf(t, hook.id)).length;
    const invalid = await post('/v2/alerts', { message: '', priority: 'P9', tags: 'prod', responders: [{ type: 'team' }] });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toEqual({
      message: 'Request body is not processable. Please check the errors.',
      errors: {
        message: 'Message can not be empty.',
        priority: 'Priority should be one of these: P1, P2, P3, P4, P5.',
        tags: 'Tags must be a list of strings.',
        'responders[0]': 'id, name or username should be provided',
      },
      took: expect.any(Number),
      requestId: expect.any(String),
    });
    const note = await post('/v2/alerts/x/notes?identifierType=alias', {});
    expect(note.status).toBe(422);
    expect(note.body.errors).toEqual({ note: 'Note can not be empty.' });
    const broken = await request(t.url).post('/v2/alerts').set('Authorization', `GenieKey ${hook.key}`).set('Content-Type', 'application/json').send('{"message": ');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toBe('Could not parse the request body as JSON.');
    expect((await alertsOf(t, hook.id)).length).toBe(before);
    const letters = await t.app.db.query(`SELECT integration_id, body, headers FROM dead_letter WHERE integration_id = $1 AND reason = 'schema_violation'`, [hook.id]);
    expect(letters).toHaveLength(2);
    expect(JSON.parse(letters[0].body.toString('utf8')).priority).toBe('P9');
    expect(JSON.stringify(letters)).not.toContain(hook.key);
    expect(await ingestCount(t, 'OPSGENIE', 'schema_violation')).toBe(2);
  });

  it('answers an unknown request id 404, and another integration cannot read this one’s requests', async () => {
    const created = await post('/v2/alerts', { message: 'private', alias: 'private' });
    const stranger = await serviceWithIntegration(t, 'og-api-other', 'OPSGENIE');
    expect((await poll(t, created.body.requestId, stranger.key)).status).toBe(404);
    const unknown = await poll(t, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: 'Request not found. It might not be processed, yet.', took: expect.any(Number), requestId: expect.any(String) });
    expect(await ingestCount(t, 'OPSGENIE', 'accepted')).toBeGreaterThanOrEqual(5);
  });
});

describe('drop-in Opsgenie Alert API rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("answers 429 with Retry-After past the integration's limit; polling takes none of it", async () => {
    const hook = await serviceWithIntegration(t, 'og-limited', 'OPSGENIE', { rateLimitPerMinute: 1 });
    const post = () => request(t.url).post('/v2/alerts').set('Authorization', `GenieKey ${hook.key}`).send({ message: 'limited', alias: 'limited' });
    const first = await post();
    expect(first.status).toBe(202);
    expect((await request(t.url).get(`/v2/alerts/requests/${first.body.requestId}`).set('Authorization', `GenieKey ${hook.key}`)).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body.message).toContain('too many requests');
  });
});
