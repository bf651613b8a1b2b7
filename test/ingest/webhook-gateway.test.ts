import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { computeTwilioSignature } from '../../src/ingest/twilio-signature';
import { startTestApp, type TestApp } from '../support/test-app';

const PUBLIC_BASE_URL = 'https://incidents.example.com';

function fixture(vendor: string, name: string): Record<string, unknown> {
  const { _source, _contentType, ...body } = JSON.parse(readFileSync(path.join(__dirname, '../fixtures', vendor, `${name}.json`), 'utf8'));
  void _source;
  void _contentType;
  return body;
}

describe('webhook gateway', () => {
  let t: TestApp;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { PUBLIC_BASE_URL } });
    const created = await t.gql<{ createService: { service: { id: string } } }>(`mutation { createService(input: { name: "Node fleet", slug: "node-fleet" }) { service { id } } }`);
    serviceId = created.data!.createService.service.id;
  });
  afterAll(() => t.close());

  async function createIntegration(vendor: string, extra = '') {
    const response = await t.gql<{ createIntegration: { integration: { id: string; webhookUrl: string }; secret: string } }>(
      `mutation($s: ID!) { createIntegration(input: { name: "${vendor.toLowerCase()}", vendor: ${vendor}, serviceId: $s ${extra} }) { integration { id webhookUrl } secret } }`,
      { s: serviceId },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.createIntegration;
  }

  const post = (id: string) => request(t.url).post(`/webhooks/${id}`);
  const count = async (table: string) => Number((await t.app.db.query(`SELECT count(*) FROM ${table}`))[0].count);

  it('returns the webhook URL under PUBLIC_BASE_URL and the secret once', async () => {
    const { integration, secret } = await createIntegration('ALERTMANAGER');
    expect(integration.webhookUrl).toBe(`${PUBLIC_BASE_URL}/webhooks/${integration.id}`);
    expect(secret).toMatch(/^whk_/);
    const listed = await t.gql(`{ integrations(first: 100) { edges { node { id name options } } } }`);
    expect(listed.errors).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it('opens one incident from an Alertmanager delivery and closes it when the group resolves', async () => {
    const { integration, secret } = await createIntegration('ALERTMANAGER');
    const firing = await post(integration.id).set('Authorization', `Bearer ${secret}`).send(fixture('alertmanager', 'firing-group'));
    expect(firing.status).toBe(202);
    expect(firing.body.accepted).toBe(2);
    expect(firing.body.incidentIds).toHaveLength(1);
    const incidentId = firing.body.incidentIds[0];

    const again = await post(integration.id).set('Authorization', `Bearer ${secret}`).send(fixture('alertmanager', 'firing-group'));
    expect(again.body.incidentIds).toEqual([incidentId]);

    const view = await t.gql<{ incident: { status: string; priority: string; source: string; alerts: { totalCount: number; edges: Array<{ node: { status: string; occurrences: number; fingerprint: string } }> } } }>(
      `query($id: ID!) { incident(id: $id) { status priority source alerts(first: 10) { totalCount edges { node { fingerprint status severity summary occurrences } } } } }`,
      { id: incidentId },
    );
    expect(view.data!.incident).toMatchObject({ status: 'TRIGGERED', priority: 'P1', source: 'MONITORING' });
    expect(view.data!.incident.alerts.totalCount).toBe(2);
    expect(view.data!.incident.alerts.edges.map((edge) => edge.node.occurrences)).toEqual([2, 2]);

    const resolved = await post(integration.id).set('Authorization', `Bearer ${secret}`).send(fixture('alertmanager', 'resolved-group'));
    expect(resolved.status).toBe(202);
    const after = await t.gql<{ incident: { status: string; resolution: string } }>(`query($id: ID!) { incident(id: $id) { status resolution } }`, { id: incidentId });
    expect(after.data!.incident).toEqual({ status: 'RESOLVED', resolution: 'FIXED' });
  });

  it('stores NUL characters and lone surrogates, which PostgreSQL cannot hold, as U+FFFD instead of failing the delivery', async () => {
    const { integration, secret } = await createIntegration('ALERTMANAGER');
    const body = fixture('alertmanager', 'firing-group') as { alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> };
    body.alerts[0].annotations.summary = 'disk\u0000full \\u0000 stays';
    body.alerts[0].labels['odd\u0000label'] = 'value\u0000';
    body.alerts[0].labels.half = 'lone \ud800 surrogate';
    const response = await post(integration.id).set('Authorization', `Bearer ${secret}`).send(body);
    expect(response.status).toBe(202);
    const [row] = await t.app.db.query(`SELECT summary, labels FROM alert WHERE id = $1`, [response.body.alertIds[0]]);
    const stored = [row, ...(await t.app.db.query(`SELECT summary, labels FROM alert WHERE id = $1`, [response.body.alertIds[1]]))].find(
      (candidate: { summary: string }) => candidate.summary.startsWith('disk'),
    );
    expect(stored.summary).toBe('disk\uFFFDfull \\u0000 stays');
    expect(stored.labels['odd\uFFFDlabel']).toBe('value\uFFFD');
    expect(stored.labels.half).toBe('lone \uFFFD surrogate');
  });

  describe('repeated bodies', () => {
    function body(summary: string, status: 'firing' | 'resolved' = 'firing') {
      return {
        version: '4',
        groupKey: '{}:{alertname="DiskFull"}',
        status,
        receiver: 'incident-bridge',
        alerts: [
          {
            status,
            labels: { alertname: 'DiskFull', instance: 'db-1:9100', severity: 'warning' },
            annotations: { summary },
            startsAt: '2026-11-01T10:00:00Z',
            endsAt: status === 'resolved' ? '2026-11-01T10:30:00Z' : '0001-01-01T00:00:00Z',
            fingerprint: 'repeat-fp',
          },
        ],
      };
    }
    const alertRow = async (id: string) =>
      (await t.app.db.query(`SELECT summary, labels, occurrences, status FROM alert WHERE id = $1`, [id]))[0] as {
        summary: string;
        labels: Record<string, string>;
        occurrences: number;
        status: string;
      };

    it('counts repeats of a remembered body, and the newest content always wins', async () => {
      const { integration, secret } = await createIntegration('ALERTMANAGER');
      const send = async (payload: object) => {
        const response = await post(integration.id).set('Authorization', `Bearer ${secret}`).send(payload);
        expect(response.status).toBe(202);
        return response.body.alertIds[0] as string;
      };
      const id = await send(body('disk 90% full'));
      expect(await send(body('disk 90% full'))).toBe(id);
      expect(await send(body('disk 90% full'))).toBe(id);
      expect(await alertRow(id)).toMatchObject({ summary: 'disk 90% full', occurrences: 3 });

      expect(await send(body('disk 95% full'))).toBe(id);
      expect(await alertRow(id)).toMatchObject({ summary: 'disk 95% full', occurrences: 4 });
      // The earlier body again: its content is not what the row holds, so it is written in full.
      expect(await send(body('disk 90% full'))).toBe(id);
      expect(await alertRow(id)).toMatchObject({ summary: 'disk 90% full', occurrences: 5 });
    });

    it('opens a new alert when a repeated body fires again after the alert resolved', async () => {
      const { integration, secret } = await createIntegration('ALERTMANAGER');
      const send = async (payload: object) => (await post(integration.id).set('Authorization', `Bearer ${secret}`).send(payload)).body.alertIds[0] as string;
      const first = await send(body('disk 90% full'));
      await send(body('disk 90% full'));
      await send(body('disk 90% full', 'resolved'));
      const again = await send(body('disk 90% full'));
      expect(again).not.toBe(first);
      expect(await alertRow(first)).toMatchObject({ status: 'RESOLVED', occurrences: 3 });
      expect(await alertRow(again)).toMatchObject({ status: 'FIRING', occurrences: 1 });
    });
  });

  it('accepts the secret as Bearer, as the Basic auth password, and as ?key=', async () => {
    const { integration, secret } = await createIntegration('GENERIC');
    const body = fixture('generic', 'trigger');
    expect((await post(integration.id).set('Authorization', `Bearer ${secret}`).send(body)).status).toBe(202);
    expect((await post(integration.id).auth('alertmanager', secret).send(body)).status).toBe(202);
    expect((await request(t.url).post(`/webhooks/${integration.id}?key=${encodeURIComponent(secret)}`).send(body)).status).toBe(202);
  });

  describe('bad input is answered clearly, counted, dead-lettered, and writes nothing', () => {
    let integration: { id: string };
    let secret: string;
    beforeAll(async () => {
      ({ integration, secret } = await createIntegration('ALERTMANAGER'));
    });

    async function expectRejected(send: () => request.Test, status: number, reason: string) {
      const alertsBefore = await count('alert');
      const lettersBefore = await count('dead_letter');
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ reason, error: expect.any(String) });
      expect(await count('alert')).toBe(alertsBefore);
      expect(await count('dead_letter')).toBe(lettersBefore + 1);
      const [letter] = await t.app.db.query(`SELECT http_status, reason, headers FROM dead_letter WHERE id = $1`, [response.body.deadLetterId]);
      expect(letter).toMatchObject({ http_status: status, reason });
      expect(JSON.stringify(letter.headers)).not.toContain(secret);
      return response;
    }

    it('unknown integration → 404', () =>
      expectRejected(() => post('00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${secret}`).send({}), 404, 'unknown_integration'));

    it('missing or wrong secret → 401', async () => {
      await expectRejected(() => post(integration.id).send(fixture('alertmanager', 'firing-group')), 401, 'unauthorized');
      await expectRejected(() => post(integration.id).set('Authorization', 'Bearer whk_wrong').send(fixture('alertmanager', 'firing-group')), 401, 'unauthorized');
    });

    it('keeps no body for unauthenticated deliveries, and refuses to replay them', async () => {
      const response = await post(integration.id).set('Authorization', 'Bearer whk_wrong').send(fixture('alertmanager', 'firing-group'));
      expect(response.status).toBe(401);
      const [letter] = await t.app.db.query(`SELECT body, body_size FROM dead_letter WHERE id = $1`, [response.body.deadLetterId]);
      expect(letter.body).toBeNull();
      expect(letter.body_size).toBeGreaterThan(100);
      const replay = await t.gql(`mutation($id: ID!) { replayDeadLetter(input: { id: $id }) { accepted } }`, { id: response.body.deadLetterId });
      expect(replay.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('unsupported content type → 415', () =>
      expectRejected(() => post(integration.id).set('Authorization', `Bearer ${secret}`).set('Content-Type', 'text/plain').send('hello'), 415, 'unsupported_media_type'));

    it('malformed JSON → 400', () =>
      expectRejected(() => post(integration.id).set('Authorization', `Bearer ${secret}`).set('Content-Type', 'application/json').send('{"alerts": ['), 400, 'malformed_body'));

    it('a body that violates the vendor schema → 422 naming the field path', async () => {
      const body = fixture('alertmanager', 'firing-group') as { alerts: Array<Record<string, unknown>> };
      body.alerts[1].status = 'exploded';
      const response = await expectRejected(() => post(integration.id).set('Authorization', `Bearer ${secret}`).send(body), 422, 'schema_violation');
      expect(response.body.details.path).toBe('alerts[1].status');
    });

    it('a body over the limit → 413, recorded against its integration', async () => {
      const response = await expectRejected(
        () => post(integration.id).set('Authorization', `Bearer ${secret}`).set('Content-Type', 'application/json').send(`{"pad":"${'x'.repeat(1024 * 1024 + 10)}"}`),
        413,
        'body_too_large',
      );
      const [letter] = await t.app.db.query(`SELECT integration_id, vendor FROM dead_letter WHERE id = $1`, [response.body.deadLetterId]);
      expect(letter).toEqual({ integration_id: integration.id, vendor: 'ALERTMANAGER' });
    });

    it('answers a wrong secret 401 before reading the body, even one over the limit', async () => {
      const response = await post(integration.id).set('Authorization', 'Bearer whk_wrong').set('Content-Type', 'application/json').send(`{"pad":"${'x'.repeat(1024 * 1024 + 10)}"}`);
      expect(response.status).toBe(401);
      expect(response.body.reason).toBe('unauthorized');
    });

    it('counts every rejection in /metrics by vendor and reason', async () => {
      const metrics = await request(t.url).get('/metrics');
      expect(metrics.text).toMatch(/incident_bridge_ingest_requests_total\{vendor="ALERTMANAGER",outcome="schema_violation"\} [1-9]/);
      expect(metrics.text).toMatch(/incident_bridge_ingest_requests_total\{vendor="unknown",outcome="unknown_integration"\} [1-9]/);
      expect(metrics.text).toMatch(/^incident_bridge_escalations_overdue 0$/m);
      expect(metrics.text).toMatch(/^incident_bridge_outbox_backlog \d+$/m);
    });
  });

  it('counts accepted deliveries, their alerts and their duration in /metrics', async () => {
    const { integration, secret } = await createIntegration('STATUSPAGE');
    const sample = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    const requests = /incident_bridge_ingest_requests_total\{vendor="STATUSPAGE",outcome="accepted"\} (\d+)/;
    const alerts = /incident_bridge_ingest_alerts_total\{vendor="STATUSPAGE"\} (\d+)/;
    const durations = /incident_bridge_ingest_duration_seconds_count\{vendor="STATUSPAGE",outcome="accepted"\} (\d+)/;
    const before = (await request(t.url).get('/metrics')).text;
    for (let delivery = 0; delivery < 2; delivery += 1) {
      const response = await post(integration.id).set('Authorization', `Bearer ${secret}`).send(fixture('statuspage', 'incident-identified'));
      expect(response.status).toBe(202);
    }
    const after = (await request(t.url).get('/metrics')).text;
    expect(sample(after, requests) - sample(before, requests)).toBe(2);
    expect(sample(after, alerts) - sample(before, alerts)).toBe(2);
    expect(sample(after, durations) - sample(before, durations)).toBe(2);
  });

  it('refuses a disabled integration with 403 and replays its dead letter once it is enabled again', async () => {
    const { integration, secret } = await createIntegration('GENERIC');
    await t.gql(`mutation($id: ID!) { updateIntegration(input: { id: $id, enabled: false }) { integration { enabled } } }`, { id: integration.id });
    const refused = await post(integration.id).set('Authorization', `Bearer ${secret}`).send(fixture('generic', 'trigger'));
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toBe('integration_disabled');

    const tooEarly = await t.gql(`mutation($id: ID!) { replayDeadLetter(input: { id: $id }) { accepted } }`, { id: refused.body.deadLetterId });
    expect(tooEarly.errors?.[0].extensions?.code).toBe('CONFLICT');

    await t.gql(`mutation($id: ID!) { updateIntegration(input: { id: $id, enabled: true }) { integration { enabled } } }`, { id: integration.id });
    const letters = await t.gql<{ deadLetters: { edges: Array<{ node: { id: string; reason: string; bodyText: string } }> } }>(
      `query($i: ID) { deadLetters(filter: { integrationId: $i, replayed: false }) { totalCount edges { node { id reason bodyText } } } }`,
      { i: integration.id },
    );
    expect(letters.data!.deadLetters.edges.map((edge) => edge.node.reason)).toEqual(['integration_disabled']);
    const replayed = await t.gql<{ replayDeadLetter: { accepted: boolean; result: { alertIds: string[] }; deadLetter: { replayedAt: string } } }>(
      `mutation($id: ID!) { replayDeadLetter(input: { id: $id }) { accepted result deadLetter { replayedAt } } }`,
      { id: refused.body.deadLetterId },
    );
    expect(replayed.errors).toBeUndefined();
    expect(replayed.data!.replayDeadLetter.accepted).toBe(true);
    expect(replayed.data!.replayDeadLetter.deadLetter.replayedAt).toEqual(expect.any(String));
    const [alert] = await t.app.db.query(`SELECT integration_id FROM alert WHERE id = $1`, [replayed.data!.replayDeadLetter.result.alertIds[0]]);
    expect(alert.integration_id).toBe(integration.id);
  });

  it('acknowledges the incident when a PagerDuty-style acknowledge follows the trigger', async () => {
    const { integration, secret } = await createIntegration('GENERIC');
    const opened = await post(integration.id).set('Authorization', `Bearer ${secret}`).send(fixture('generic', 'trigger'));
    const acked = await post(integration.id).set('Authorization', `Bearer ${secret}`).send(fixture('generic', 'acknowledge'));
    expect(acked.status).toBe(202);
    expect(acked.body.incidentIds).toEqual(opened.body.incidentIds);
    const view = await t.gql<{ incident: { status: string } }>(`query($id: ID!) { incident(id: $id) { status } }`, { id: opened.body.incidentIds[0] });
    expect(view.data!.incident.status).toBe('ACKNOWLEDGED');
  });

  it('rejects an unknown sapFieldMap or severityMap key, naming it', async () => {
    const response = await t.gql(
      `mutation($s: ID!) { createIntegration(input: { name: "sap", vendor: SAP_ALERT_NOTIFICATION, serviceId: $s, options: { sapFieldMap: { subjekt: "title" } } }) { secret } }`,
      { s: serviceId },
    );
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.sapFieldMap' });
  });

  it('keeps the old secret working during the grace period after a rotation', async () => {
    const { integration, secret: oldSecret } = await createIntegration('GENERIC');
    const rotated = await t.gql<{ rotateIntegrationSecret: { secret: string } }>(
      `mutation($id: ID!) { rotateIntegrationSecret(input: { id: $id, gracePeriodSeconds: 3600 }) { secret } }`,
      { id: integration.id },
    );
    const newSecret = rotated.data!.rotateIntegrationSecret.secret;
    expect((await post(integration.id).set('Authorization', `Bearer ${newSecret}`).send(fixture('generic', 'trigger'))).status).toBe(202);
    expect((await post(integration.id).set('Authorization', `Bearer ${oldSecret}`).send(fixture('generic', 'trigger'))).status).toBe(202);
    await t.gql(`mutation($id: ID!) { rotateIntegrationSecret(input: { id: $id, gracePeriodSeconds: 0 }) { secret } }`, { id: integration.id });
    expect((await post(integration.id).set('Authorization', `Bearer ${oldSecret}`).send(fixture('generic', 'trigger'))).status).toBe(401);
  });

  describe('Twilio', () => {
    const authToken = 'twilio-auth-token-for-tests';
    let integration: { id: string };
    let secret: string;
    beforeAll(async () => {
      ({ integration, secret } = await createIntegration('TWILIO', `, vendorCredential: "${authToken}"`));
    });

    it('accepts an inbound SMS carrying a valid X-Twilio-Signature over the public URL', async () => {
      const params = fixture('twilio', 'inbound-sms-alarm') as Record<string, string>;
      const pathAndQuery = `/webhooks/${integration.id}?key=${encodeURIComponent(secret)}`;
      const signature = computeTwilioSignature(authToken, `${PUBLIC_BASE_URL}${pathAndQuery}`, params);
      const response = await request(t.url).post(pathAndQuery).type('form').set('X-Twilio-Signature', signature).send(params);
      expect(response.status).toBe(202);
      expect(response.body.accepted).toBe(1);
    });

    it('verifies signatures over every value of a repeated form field', async () => {
      const pathAndQuery = `/webhooks/${integration.id}?key=${encodeURIComponent(secret)}`;
      const body = 'From=%2B14155550199&To=%2B14155550100&Body=ALARM%3A+tank+4&MessageSid=SM1&MediaUrl0=a&MediaUrl0=b';
      const signature = computeTwilioSignature(authToken, `${PUBLIC_BASE_URL}${pathAndQuery}`, {
        From: '+14155550199',
        To: '+14155550100',
        Body: 'ALARM: tank 4',
        MessageSid: 'SM1',
        MediaUrl0: ['a', 'b'],
      });
      const response = await request(t.url).post(pathAndQuery).type('form').set('X-Twilio-Signature', signature).send(body);
      expect(response.status).toBe(202);
    });

    it('accepts a form field carrying %00, verifying the signature over the value as sent', async () => {
      // Another message than the fixture's (delivered above): a MessageSid of its own, or it would count as a retry.
      const params = { ...(fixture('twilio', 'inbound-sms-alarm') as Record<string, string>), MessageSid: 'SM00nul0000000000000000000000000', Body: 'ALARM: pump\u00003 stopped' };
      const pathAndQuery = `/webhooks/${integration.id}?key=${encodeURIComponent(secret)}`;
      const signature = computeTwilioSignature(authToken, `${PUBLIC_BASE_URL}${pathAndQuery}`, params);
      const response = await request(t.url).post(pathAndQuery).type('form').set('X-Twilio-Signature', signature).send(params);
      expect(response.status).toBe(202);
      const [row] = await t.app.db.query(`SELECT summary FROM alert WHERE id = $1`, [response.body.alertIds[0]]);
      expect(row.summary).toContain('pump\uFFFD3 stopped');
    });

    it('refuses a forged signature with 403', async () => {
      const params = fixture('twilio', 'inbound-sms-alarm') as Record<string, string>;
      const pathAndQuery = `/webhooks/${integration.id}?key=${encodeURIComponent(secret)}`;
      const signature = computeTwilioSignature('not-the-token', `${PUBLIC_BASE_URL}${pathAndQuery}`, params);
      const response = await request(t.url).post(pathAndQuery).type('form').set('X-Twilio-Signature', signature).send(params);
      expect(response.status).toBe(403);
      expect(response.body.reason).toBe('bad_signature');
    });

    it('never returns the auth token through the API', async () => {
      const listed = await t.gql(`{ integrations(first: 100) { edges { node { id name options } } } }`);
      expect(listed.errors).toBeUndefined();
      expect(JSON.stringify(listed)).not.toContain(authToken);
    });
  });
});
