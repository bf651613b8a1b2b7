import request from 'supertest';
import { computeTwilioSignature } from '../../src/ingest/twilio-signature';
import { integrationDeliveryRetentionJob } from '../../src/jobs/integration-delivery-retention.job';
import { Role } from '../../src/schema/enums';
import { ManualClock } from '../../src/shared/clock';
import { TWILIO } from '../support/paging-setup';
import { sendMail } from '../support/smtp-client';
import { statementsDuring } from '../support/statement-counter';
import { startTestApp, untilReady, type GraphQLResult, type TestApp } from '../support/test-app';
import { fixtureBody } from '../support/vendor-api';

const PUBLIC_BASE_URL = 'https://incidents.example.com';
const DOMAIN = 'alerts.test';

interface Delivery {
  receivedAt: string;
  channel: string;
  outcome: string;
  statusCode: number;
  alertsAccepted: number;
  latencyMs: number;
  requestId: string | null;
  error: string | null;
}

interface DeliveryPage {
  integration: {
    lastDeliveryAt: string | null;
    silent: boolean;
    deliveries: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ cursor: string; node: Delivery }> };
  };
}

const DELIVERIES = `query($id: ID!, $first: Int, $after: String, $filter: IntegrationDeliveryFilter) {
  integration(id: $id) {
    lastDeliveryAt silent
    deliveries(first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { receivedAt channel outcome statusCode alertsAccepted latencyMs requestId error } }
    }
  }
}`;

/** Every secret the tests made: none may be in any stored delivery. */
const secrets: string[] = [];

async function integration(t: TestApp, serviceId: string, name: string, vendor: string, extra = '') {
  const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
    `mutation($s: ID!) { createIntegration(input: { name: "${name}", vendor: ${vendor}, serviceId: $s ${extra} }) { integration { id } secret } }`,
    { s: serviceId },
  );
  expect(created.errors).toBeUndefined();
  const { integration: made, secret } = created.data!.createIntegration;
  secrets.push(secret);
  return { id: made.id, secret };
}

async function page(t: TestApp, id: string, variables: Record<string, unknown> = {}): Promise<DeliveryPage['integration']> {
  const answer = await t.gql<DeliveryPage>(DELIVERIES, { id, first: 100, ...variables });
  expect(answer.errors).toBeUndefined();
  return answer.data!.integration;
}

/** The log is written in batches after the answers: waits until `requestId` is stored, then for any write under way. */
async function untilLogged(t: TestApp, id: string, requestId: string): Promise<Delivery[]> {
  const until = Date.now() + 10_000;
  for (;;) {
    const edges = (await page(t, id)).deliveries.edges;
    if (edges.some((edge) => edge.node.requestId === requestId)) {
      await t.app.ingest.deliveryLog.flush();
      return (await page(t, id)).deliveries.edges.map((edge) => edge.node);
    }
    if (Date.now() > until) throw new Error(`delivery ${requestId} was not logged within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const brief = (delivery: Delivery) => [delivery.requestId, delivery.channel, delivery.outcome, delivery.statusCode, delivery.alertsAccepted, delivery.error];

async function storedRows(t: TestApp): Promise<string> {
  return JSON.stringify(await t.app.db.query(`SELECT * FROM integration_delivery`));
}

describe('integration delivery log', () => {
  let t: TestApp;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestApp({
      config: {
        JOBS_ENABLED: 'false',
        PUBLIC_BASE_URL,
        AUTH_FAILURE_LIMIT: '1000',
        INTEGRATION_DELIVERY_LOG_FLUSH_MS: '20',
        SMTP_INGEST_LISTEN: '127.0.0.1:0',
        SMTP_INGEST_DOMAIN: DOMAIN,
      },
    });
    serviceId = (await t.app.services.catalog.createService({ name: 'Delivery log', slug: 'delivery-log' })).id;
  });
  afterAll(() => t.close());

  const trigger = fixtureBody('generic/trigger.json');
  const post = (hook: { id: string; secret: string }, requestId: string, body: unknown, secret = hook.secret) =>
    request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', `Bearer ${secret}`).set('X-Request-Id', requestId).set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));

  it('shows accepted and rejected webhooks newest first with their status codes, alert counts and reasons, a page at a time', async () => {
    const hook = await integration(t, serviceId, 'webhook log', 'GENERIC');
    expect((await post(hook, 'wh-1', trigger)).status).toBe(202);
    expect((await post(hook, 'wh-2', '{"payload": ')).status).toBe(400);
    expect((await post(hook, 'wh-3', { event_action: 'trigger' })).status).toBe(422);
    expect((await post(hook, 'wh-4', trigger, 'whk_wrong')).status).toBe(401);
    const viaQuery = await request(t.url).post(`/webhooks/${hook.id}?key=${encodeURIComponent(hook.secret)}`).set('X-Request-Id', 'wh-5').send(trigger);
    expect(viaQuery.status).toBe(202);
    // An unknown integration names no log to write to.
    expect((await post({ id: '00000000-0000-4000-8000-000000000000', secret: 'x' }, 'wh-unknown', trigger)).status).toBe(404);

    const logged = await untilLogged(t, hook.id, 'wh-5');
    expect(logged.map(brief)).toEqual([
      ['wh-5', 'WEBHOOK', 'ACCEPTED', 202, 1, null],
      ['wh-4', 'WEBHOOK', 'UNAUTHORIZED', 401, 0, 'unauthorized'],
      ['wh-3', 'WEBHOOK', 'REJECTED', 422, 0, 'schema_violation'],
      ['wh-2', 'WEBHOOK', 'REJECTED', 400, 0, 'malformed_body'],
      ['wh-1', 'WEBHOOK', 'ACCEPTED', 202, 1, null],
    ]);
    for (const delivery of logged) expect(delivery.latencyMs).toBeGreaterThanOrEqual(0);
    expect(logged.map((delivery) => delivery.receivedAt)).toEqual([...logged.map((delivery) => delivery.receivedAt)].sort().reverse());
    expect(await t.app.db.query(`SELECT count(*)::int AS n FROM integration_delivery WHERE request_id = 'wh-unknown'`)).toEqual([{ n: 0 }]);

    const first = (await page(t, hook.id, { first: 2 })).deliveries;
    expect(first.totalCount).toBe(5);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(t, hook.id, { first: 2, after: first.pageInfo.endCursor })).deliveries;
    const third = (await page(t, hook.id, { first: 2, after: second.pageInfo.endCursor })).deliveries;
    expect(third.pageInfo.hasNextPage).toBe(false);
    expect([...first.edges, ...second.edges, ...third.edges].map((edge) => edge.node.requestId)).toEqual(['wh-5', 'wh-4', 'wh-3', 'wh-2', 'wh-1']);

    const rejected = (await page(t, hook.id, { filter: { outcome: ['REJECTED', 'UNAUTHORIZED'] } })).deliveries;
    expect(rejected.totalCount).toBe(3);
    expect(rejected.edges.map((edge) => edge.node.requestId)).toEqual(['wh-4', 'wh-3', 'wh-2']);
    const bad = await t.gql(DELIVERIES, { id: hook.id, after: 'not-a-cursor' });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  });

  it('logs rate-limited and disabled deliveries, and a Twilio retry of one MessageSid as a duplicate', async () => {
    const limited = await integration(t, serviceId, 'limited', 'GENERIC', ', options: { rateLimitPerMinute: 1 }');
    expect((await post(limited, 'rl-1', trigger)).status).toBe(202);
    expect((await post(limited, 'rl-2', trigger)).status).toBe(429);
    await t.gql(`mutation($id: ID!) { updateIntegration(input: { id: $id, enabled: false }) { integration { id } } }`, { id: limited.id });
    // The minute's allowance is spent, and the limit is checked before whether the integration is enabled.
    expect((await post(limited, 'rl-3', trigger)).status).toBe(429);
    expect((await untilLogged(t, limited.id, 'rl-3')).map(brief)).toEqual([
      ['rl-3', 'WEBHOOK', 'RATE_LIMITED', 429, 0, 'rate_limited'],
      ['rl-2', 'WEBHOOK', 'RATE_LIMITED', 429, 0, 'rate_limited'],
      ['rl-1', 'WEBHOOK', 'ACCEPTED', 202, 1, null],
    ]);

    const disabled = await integration(t, serviceId, 'disabled', 'GENERIC');
    await t.gql(`mutation($id: ID!) { updateIntegration(input: { id: $id, enabled: false }) { integration { id } } }`, { id: disabled.id });
    expect((await post(disabled, 'off-1', trigger)).status).toBe(403);
    expect((await untilLogged(t, disabled.id, 'off-1')).map(brief)).toEqual([['off-1', 'WEBHOOK', 'REJECTED', 403, 0, 'integration_disabled']]);

    const twilio = await integration(t, serviceId, 'sms', 'TWILIO', `, vendorCredential: "${TWILIO.authToken}"`);
    const path = `/webhooks/${twilio.id}?key=${encodeURIComponent(twilio.secret)}`;
    const sms = { MessageSid: 'SMdd00000000000000000000000000000001', SmsSid: 'SMdd00000000000000000000000000000001', AccountSid: TWILIO.accountSid, From: '+14155550199', To: TWILIO.fromNumber, Body: 'ALARM: pump 3' };
    const deliver = (requestId: string) =>
      request(t.url).post(path).type('form').set('X-Request-Id', requestId).set('X-Twilio-Signature', computeTwilioSignature(TWILIO.authToken, `${PUBLIC_BASE_URL}${path}`, sms)).send(sms);
    expect((await deliver('sms-1')).body).toMatchObject({ accepted: 1 });
    expect((await deliver('sms-2')).body).toMatchObject({ accepted: 0, duplicate: true });
    const forged = await request(t.url).post(path).type('form').set('X-Request-Id', 'sms-3').set('X-Twilio-Signature', 'forged').send(sms);
    expect(forged.status).toBe(403);
    expect((await untilLogged(t, twilio.id, 'sms-3')).map(brief)).toEqual([
      ['sms-3', 'WEBHOOK', 'UNAUTHORIZED', 403, 0, 'bad_signature'],
      ['sms-2', 'WEBHOOK', 'DUPLICATE', 202, 0, null],
      ['sms-1', 'WEBHOOK', 'ACCEPTED', 202, 1, null],
    ]);
  });

  it('keeps at most 30 unauthorized calls a minute per integration, so guessing cannot push real deliveries out', async () => {
    const hook = await integration(t, serviceId, 'guessed', 'GENERIC');
    for (let n = 1; n <= 70; n += 1) expect((await post(hook, `guess-${n}`, trigger, `whk_guess_${n}`)).status).toBe(401);
    expect((await post(hook, 'real-1', trigger)).status).toBe(202);
    const logged = await untilLogged(t, hook.id, 'real-1');
    expect(logged[0]).toMatchObject({ requestId: 'real-1', outcome: 'ACCEPTED' });
    const unauthorized = logged.filter((delivery) => delivery.outcome === 'UNAUTHORIZED');
    // The minute may turn during the run: at most two minutes' samples of the 70.
    expect(unauthorized.length).toBeGreaterThanOrEqual(30);
    expect(unauthorized.length).toBeLessThanOrEqual(60);
  });

  it('logs PagerDuty Events API deliveries by routing_key, change events included', async () => {
    const hook = await integration(t, serviceId, 'pd', 'GENERIC');
    const enqueue = (requestId: string, body: unknown, path = '/v2/enqueue') => request(t.url).post(path).set('X-Request-Id', requestId).send(body as object);
    expect((await enqueue('pd-1', { ...trigger, routing_key: hook.secret })).status).toBe(202);
    expect((await enqueue('pd-2', { routing_key: hook.secret, event_action: 'trigger' })).status).toBe(400);
    expect((await enqueue('pd-3', { ...fixtureBody('pagerduty-events/docs-change-event.json'), routing_key: hook.secret }, '/v2/change/enqueue')).status).toBe(202);
    expect((await enqueue('pd-4', { ...trigger, routing_key: 'not-a-key-of-ours' })).status).toBe(400);
    expect((await untilLogged(t, hook.id, 'pd-3')).map(brief)).toEqual([
      ['pd-3', 'PAGERDUTY_EVENTS', 'ACCEPTED', 202, 0, null],
      ['pd-2', 'PAGERDUTY_EVENTS', 'REJECTED', 400, 0, 'schema_violation'],
      ['pd-1', 'PAGERDUTY_EVENTS', 'ACCEPTED', 202, 1, null],
    ]);
    expect(await t.app.db.query(`SELECT count(*)::int AS n FROM integration_delivery WHERE request_id = 'pd-4'`)).toEqual([{ n: 0 }]);
  });

  it("logs Opsgenie Alert API requests under Opsgenie's requestId, and not the status polls", async () => {
    const hook = await integration(t, serviceId, 'og', 'OPSGENIE');
    const call = (path: string, body: unknown) => request(t.url).post(path).set('Authorization', `GenieKey ${hook.secret}`).send(body as object);
    const created = await call('/v2/alerts', fixtureBody('opsgenie/create-docs.json').request);
    expect(created.status).toBe(202);
    const invalid = await call('/v2/alerts', { description: 'no message' });
    expect(invalid.status).toBe(422);
    expect((await request(t.url).get(`/v2/alerts/requests/${created.body.requestId}`).set('Authorization', `GenieKey ${hook.secret}`)).status).toBe(200);
    expect((await untilLogged(t, hook.id, invalid.body.requestId)).map(brief)).toEqual([
      [invalid.body.requestId, 'OPSGENIE', 'REJECTED', 422, 0, 'schema_violation'],
      [created.body.requestId, 'OPSGENIE', 'ACCEPTED', 202, 1, null],
    ]);
  });

  it('logs e-mail deliveries with their SMTP reply codes', async () => {
    const port = t.app.smtp!.address().port;
    const mailbox = await integration(t, serviceId, 'mailbox', 'EMAIL', ', options: { rateLimitPerMinute: 1 }');
    const address = `${mailbox.secret}@${DOMAIN}`;
    expect((await sendMail(port, { to: address, subject: 'PROBLEM: db-1 disk full', text: 'Free: 1%' })).code).toBe(250);
    expect((await sendMail(port, { to: address, subject: 'PROBLEM: db-2 disk full', text: 'Free: 2%' })).code).toBe(450);
    const until = Date.now() + 10_000;
    let logged: Delivery[] = [];
    while (logged.length < 2 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      logged = (await page(t, mailbox.id)).deliveries.edges.map((edge) => edge.node);
    }
    expect(logged.map((delivery) => [delivery.channel, delivery.outcome, delivery.statusCode, delivery.alertsAccepted, delivery.error])).toEqual([
      ['EMAIL', 'RATE_LIMITED', 450, 0, 'rate_limited'],
      ['EMAIL', 'ACCEPTED', 250, 1, null],
    ]);
    expect(logged.every((delivery) => typeof delivery.requestId === 'string' && delivery.requestId.length > 0)).toBe(true);

    const disabled = await integration(t, serviceId, 'mailbox-off', 'EMAIL');
    await t.gql(`mutation($id: ID!) { updateIntegration(input: { id: $id, enabled: false }) { integration { id } } }`, { id: disabled.id });
    expect((await sendMail(port, { to: `${disabled.secret}@${DOMAIN}`, subject: 'PROBLEM: db-3 disk full' })).code).toBe(550);
    let refused: Delivery[] = [];
    while (!refused.length && Date.now() < until + 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      refused = (await page(t, disabled.id)).deliveries.edges.map((edge) => edge.node);
    }
    expect(refused.map((delivery) => [delivery.channel, delivery.outcome, delivery.statusCode, delivery.error])).toEqual([['EMAIL', 'REJECTED', 550, 'integration_disabled']]);
  });

  it('reads the logs of a whole list of integrations in two statements (pages and counts), not two per integration', async () => {
    const query = `{ integrations(first: 100) { totalCount edges { node { id deliveries(first: 2) { totalCount edges { node { requestId } } } } } } }`;
    type Listed = { integrations: { edges: Array<{ node: { id: string; deliveries: { totalCount: number; edges: unknown[] } } }> } };
    let answer: GraphQLResult<Listed> | undefined;
    const statements = await statementsDuring(t.app.db, async () => {
      answer = await t.gql<Listed>(query);
    });
    expect(answer?.errors).toBeUndefined();
    const listed = answer!.data!.integrations.edges;
    expect(listed.length).toBeGreaterThanOrEqual(8);
    expect(listed.filter((edge) => edge.node.deliveries.totalCount > 0).length).toBeGreaterThanOrEqual(6);
    for (const edge of listed) expect(edge.node.deliveries.edges.length).toBe(Math.min(2, edge.node.deliveries.totalCount));
    expect(statements.filter((sql) => sql.includes('integration_delivery'))).toHaveLength(2);
  });

  it('stores no secret, no query string and no body in any row', async () => {
    await t.app.ingest.deliveryLog.flush();
    const rows = await storedRows(t);
    expect(JSON.parse(rows).length).toBeGreaterThan(15);
    for (const secret of secrets) expect(rows).not.toContain(secret);
    expect(rows).not.toContain('key=');
    expect(rows).not.toContain('DISK at 99%');
    expect(rows).not.toContain('PROBLEM: db-1');
  });

  it('is only for ADMIN tokens, as integrations are', async () => {
    const hook = await integration(t, serviceId, 'roles', 'GENERIC');
    const viewer = await t.tokenFor(Role.VIEWER);
    const answer = await t.gql(DELIVERIES, { id: hook.id }, viewer);
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('integration delivery log: bound, last delivery and silence', () => {
  const clock = new ManualClock('2026-12-01T10:00:00Z');
  let t: TestApp;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      throughProxy: true,
      config: { JOBS_ENABLED: 'false', INTEGRATION_DELIVERY_LOG_FLUSH_MS: '20', INTEGRATION_DELIVERY_LOG_ROWS: '5', INTEGRATION_DELIVERY_LOG_DAYS: '30', DB_CONNECT_TIMEOUT_MS: '1000', RETRY_AFTER_SECONDS: '2' },
    });
    serviceId = (await t.app.services.catalog.createService({ name: 'Heartbeats', slug: 'heartbeats' })).id;
  });
  afterAll(() => t.close());
  afterEach(() => t.proxy!.restore());

  const beat = (hook: { id: string; secret: string }, requestId: string) =>
    request(t.url).post(`/webhooks/${hook.id}`).set('Authorization', `Bearer ${hook.secret}`).set('X-Request-Id', requestId).send({ ...fixtureBody('generic/trigger.json'), dedup_key: requestId });
  const silentIds = async (silent: boolean) => {
    const answer = await t.gql<{ integrations: { edges: Array<{ node: { id: string } }> } }>(
      `query($silent: Boolean) { integrations(first: 100, filter: { silent: $silent }) { edges { node { id } } } }`,
      { silent },
    );
    expect(answer.errors).toBeUndefined();
    return answer.data!.integrations.edges.map((edge) => edge.node.id);
  };
  const setExpectation = (id: string, seconds: number | null) =>
    t.gql<{ updateIntegration: { integration: { expectedDeliveryIntervalSeconds: number | null; silent: boolean } } }>(
      `mutation($id: ID!, $s: Int) { updateIntegration(input: { id: $id, expectedDeliveryIntervalSeconds: $s }) { integration { expectedDeliveryIntervalSeconds silent } } }`,
      { id, s: seconds },
    );

  it('keeps the newest INTEGRATION_DELIVERY_LOG_ROWS per integration, and deletes what is older than INTEGRATION_DELIVERY_LOG_DAYS', async () => {
    const hook = await integration(t, serviceId, 'bounded', 'GENERIC');
    const other = await integration(t, serviceId, 'bounded-other', 'GENERIC');
    expect((await beat(other, 'other-1')).status).toBe(202);
    for (let n = 1; n <= 8; n += 1) {
      clock.advance(1000);
      expect((await beat(hook, `b-${n}`)).status).toBe(202);
    }
    const logged = await untilLogged(t, hook.id, 'b-8');
    expect(logged.map((delivery) => delivery.requestId)).toEqual(['b-8', 'b-7', 'b-6', 'b-5', 'b-4']);
    expect(await t.app.db.query(`SELECT count(*)::int AS n FROM integration_delivery WHERE integration_id = $1`, [hook.id])).toEqual([{ n: 5 }]);
    expect((await page(t, other.id)).deliveries.totalCount).toBe(1);

    clock.advance(31 * 24 * 3600_000);
    expect((await beat(other, 'other-2')).status).toBe(202);
    await untilLogged(t, other.id, 'other-2');
    expect(await integrationDeliveryRetentionJob(t.app.services.integrationDeliveries).run()).toBe(6);
    expect((await page(t, hook.id)).deliveries.totalCount).toBe(0);
    expect((await page(t, other.id)).deliveries.edges.map((edge) => edge.node.requestId)).toEqual(['other-2']);
  });

  it('moves lastDeliveryAt with deliveries and shows an integration silent once it was quiet longer than expected', async () => {
    const hook = await integration(t, serviceId, 'heartbeat', 'GENERIC');
    const createdAt = clock.now();
    expect(await page(t, hook.id)).toMatchObject({ lastDeliveryAt: null, silent: false });

    for (const wrong of [59, 2_592_001, 0]) {
      expect((await setExpectation(hook.id, wrong)).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'expectedDeliveryIntervalSeconds' } });
    }
    expect((await setExpectation(hook.id, 300)).data?.updateIntegration.integration).toEqual({ expectedDeliveryIntervalSeconds: 300, silent: false });
    const [audit] = await t.app.db.query(`SELECT changes FROM audit_entry WHERE target_id = $1 AND action = 'integration.update' ORDER BY occurred_at DESC LIMIT 1`, [hook.id]);
    expect(audit.changes).toEqual({ expectedDeliveryIntervalSeconds: { before: null, after: 300 } });

    // Never called: counted from its creation.
    clock.advance(300_000);
    expect((await page(t, hook.id)).silent).toBe(false);
    expect(await silentIds(true)).not.toContain(hook.id);
    clock.advance(1000);
    expect((await page(t, hook.id)).silent).toBe(true);
    // The list filter says the same as the field; integrations without an expectation are never silent.
    expect(await silentIds(true)).toEqual([hook.id]);
    expect(await silentIds(false)).not.toContain(hook.id);

    expect((await beat(hook, 'hb-1')).status).toBe(202);
    const [first] = await untilLogged(t, hook.id, 'hb-1');
    let state = await page(t, hook.id);
    expect(state.silent).toBe(false);
    expect(await silentIds(true)).toEqual([]);
    expect(state.lastDeliveryAt).toBe(first.receivedAt);
    expect(new Date(first.receivedAt).getTime()).toBeGreaterThan(createdAt.getTime() + 300_000);

    // Less than a second later: logged, but lastDeliveryAt is not rewritten.
    expect((await beat(hook, 'hb-2')).status).toBe(202);
    await untilLogged(t, hook.id, 'hb-2');
    expect((await page(t, hook.id)).lastDeliveryAt).toBe(first.receivedAt);

    clock.advance(200_000);
    expect((await beat(hook, 'hb-3')).status).toBe(202);
    const [third] = await untilLogged(t, hook.id, 'hb-3');
    expect((await page(t, hook.id)).lastDeliveryAt).toBe(third.receivedAt);

    // An unauthorized call is logged but is no sign of life.
    clock.advance(301_000);
    expect((await beat({ id: hook.id, secret: 'whk_not-it' }, 'hb-4')).status).toBe(401);
    await untilLogged(t, hook.id, 'hb-4');
    state = await page(t, hook.id);
    expect(state).toMatchObject({ lastDeliveryAt: third.receivedAt, silent: true });
    expect(await silentIds(true)).toEqual([hook.id]);

    expect((await setExpectation(hook.id, null)).data?.updateIntegration.integration).toEqual({ expectedDeliveryIntervalSeconds: null, silent: false });
  });

  it('logs deliveries refused during a database outage as FAILED once the database is back', async () => {
    const hook = await integration(t, serviceId, 'outage', 'GENERIC');
    expect((await beat(hook, 'out-1')).status).toBe(202);
    await untilLogged(t, hook.id, 'out-1');
    clock.advance(1000);
    t.proxy!.cut('refuse');
    const during = await beat(hook, 'out-2');
    expect(during.status).toBe(503);
    t.proxy!.restore();
    await untilReady(t);
    clock.advance(1000);
    expect((await beat(hook, 'out-3')).status).toBe(202);
    const logged = await untilLogged(t, hook.id, 'out-3');
    expect(logged.map(brief)).toEqual([
      ['out-3', 'WEBHOOK', 'ACCEPTED', 202, 1, null],
      ['out-2', 'WEBHOOK', 'FAILED', 503, 0, 'unavailable'],
      ['out-1', 'WEBHOOK', 'ACCEPTED', 202, 1, null],
    ]);
  });
});

describe('integration delivery log under a storm', () => {
  let t: TestApp;
  let hook: { id: string; secret: string };

  beforeAll(async () => {
    // The default flush interval (1 s): what a deployment runs.
    t = await startTestApp({ config: { JOBS_ENABLED: 'false', INGEST_RATE_LIMIT_PER_MINUTE: '100000' } });
    const serviceId = (await t.app.services.catalog.createService({ name: 'Storm', slug: 'storm' })).id;
    hook = await integration(t, serviceId, 'storm', 'GENERIC');
  });
  afterAll(() => t.close());

  it('writes the rows of 300 concurrent deliveries in a few batched statements, not one per request', async () => {
    const requests = 300;
    const statements = await statementsDuring(t.app.db, async () => {
      const answers = await Promise.all(
        Array.from({ length: requests }, (_, n) =>
          request(t.url)
            .post(`/webhooks/${hook.id}`)
            .set('Authorization', `Bearer ${hook.secret}`)
            .set('X-Request-Id', `storm-${n}`)
            .send({ ...fixtureBody('generic/trigger.json'), dedup_key: `storm-${n % 40}` }),
        ),
      );
      expect(answers.every((answer) => answer.status === 202)).toBe(true);
      const until = Date.now() + 10_000;
      while ((await t.app.db.query(`SELECT count(*)::int AS n FROM integration_delivery WHERE integration_id = $1`, [hook.id]))[0].n < requests) {
        if (Date.now() > until) throw new Error('the storm was not logged within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await t.app.ingest.deliveryLog.flush();
    });
    const logWrites = statements.filter((sql) => /^\s*WITH (input|cut) AS/.test(sql));
    // Each flush is one INSERT (with the last_delivery_at update) and one cut to the bound.
    expect(logWrites.length).toBeGreaterThanOrEqual(2);
    expect(logWrites.length).toBeLessThanOrEqual(8);
    expect((await page(t, hook.id)).deliveries.totalCount).toBe(requests);
  });
});
