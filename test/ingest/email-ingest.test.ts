import { Writable } from 'node:stream';
import request from 'supertest';
import { loadConfig, smtpIngestConfig } from '../../src/config';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, untilReady, type TestApp } from '../support/test-app';
import { sendMail, smtpDialogue } from '../support/smtp-client';

/** Inbound e-mail: real mail over SMTP (nodemailer, or a bare socket) to the listener the composition root starts. */
const DOMAIN = 'alerts.test';
const MAX_BYTES = 20_000;

interface StoredAlert {
  summary: string;
  description: string | null;
  source: string | null;
  status: string;
  occurrences: number;
  details: Record<string, unknown>;
}

async function createService(t: TestApp, slug: string): Promise<string> {
  const created = await t.gql<{ createService: { service: { id: string } } }>(`mutation($slug: String!) { createService(input: { name: $slug, slug: $slug }) { service { id } } }`, { slug });
  return created.data!.createService.service.id;
}

/** Every integration secret the tests made, to look for in logs and dead letters. */
const secrets: string[] = [];

async function createIntegration(t: TestApp, serviceId: string, name: string, vendor = 'EMAIL', options: Record<string, unknown> = {}) {
  const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
    `mutation($s: ID!, $o: JSONObject) { createIntegration(input: { name: "${name}", vendor: ${vendor}, serviceId: $s, options: $o }) { integration { id } secret } }`,
    { s: serviceId, o: options },
  );
  expect(created.errors).toBeUndefined();
  const { integration, secret } = created.data!.createIntegration;
  secrets.push(secret);
  return { id: integration.id, secret, address: `${secret}@${DOMAIN}` };
}

const alertsOf = async (t: TestApp, integrationId: string): Promise<StoredAlert[]> =>
  t.app.db.query(`SELECT summary, description, source, status, occurrences, details FROM alert WHERE integration_id = $1 ORDER BY first_seen_at, summary`, [integrationId]);

const metric = async (t: TestApp, vendor: string, outcome: string) =>
  Number(new RegExp(`incident_bridge_ingest_requests_total\\{vendor="${vendor}",outcome="${outcome}"\\} (\\d+)`).exec((await request(t.url).get('/metrics')).text)?.[1] ?? 0);

describe('inbound e-mail configuration', () => {
  it('is off by default, needs a domain with a listen address, and reads IPv6 addresses', () => {
    expect(smtpIngestConfig(loadConfig({}))).toBeUndefined();
    expect(() => loadConfig({ SMTP_INGEST_LISTEN: '0.0.0.0:2525' })).toThrow(/SMTP_INGEST_DOMAIN: is required/);
    expect(() => loadConfig({ SMTP_INGEST_LISTEN: 'localhost', SMTP_INGEST_DOMAIN: DOMAIN })).toThrow(/SMTP_INGEST_LISTEN: must be host:port/);
    expect(smtpIngestConfig(loadConfig({ SMTP_INGEST_LISTEN: '[::1]:2525', SMTP_INGEST_DOMAIN: 'Alerts.Example.COM' }))).toMatchObject({ host: '::1', port: 2525, domain: 'alerts.example.com' });
  });
});

describe('inbound e-mail', () => {
  let t: TestApp;
  let port: number;
  let serviceId: string;
  const logged: string[] = [];

  beforeAll(async () => {
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    t = await startTestApp({
      logDestination,
      config: { LOG_LEVEL: 'debug', JOBS_ENABLED: 'false', SMTP_INGEST_LISTEN: '127.0.0.1:0', SMTP_INGEST_DOMAIN: DOMAIN, SMTP_INGEST_MAX_BYTES: String(MAX_BYTES), SMTP_INGEST_MAX_RECIPIENTS: '3' },
    });
    port = t.app.smtp!.address().port;
    serviceId = await createService(t, 'mail');
  });
  afterAll(() => t.close());

  it('turns a plain mail into an alert with the subject as summary, the text as description and the sender as source', async () => {
    const mailbox = await createIntegration(t, serviceId, 'plain');
    const answer = await sendMail(port, { from: 'Nagios <nagios@monitoring.example.com>', to: mailbox.address, subject: 'PROBLEM: db-1 disk 91% full', text: 'Host: db-1\nFree: 9%\n' });
    expect(answer.code).toBe(250);
    const [alert] = await alertsOf(t, mailbox.id);
    expect(alert).toMatchObject({ summary: 'PROBLEM: db-1 disk 91% full', description: 'Host: db-1\nFree: 9%', source: 'nagios@monitoring.example.com', status: 'FIRING', occurrences: 1 });
    expect(alert.details).toMatchObject({ dedupKey: 'db-1 disk % full', from: 'nagios@monitoring.example.com' });
    expect(await metric(t, 'EMAIL', 'accepted')).toBeGreaterThanOrEqual(1);
  });

  it('takes two mails that differ only in numbers, dates and times as one alert seen twice, and resolves it on RESOLVED:', async () => {
    const mailbox = await createIntegration(t, serviceId, 'dedup');
    expect((await sendMail(port, { to: mailbox.address, subject: 'Backup job 4711 failed at 2026-03-01 02:00:13', text: 'first' })).code).toBe(250);
    expect((await sendMail(port, { to: mailbox.address, subject: 'Backup job 4712 failed at 2026-03-02 02:00:41', text: 'second' })).code).toBe(250);
    expect(await alertsOf(t, mailbox.id)).toEqual([expect.objectContaining({ summary: 'Backup job 4712 failed at 2026-03-02 02:00:41', description: 'second', occurrences: 2, status: 'FIRING' })]);

    expect((await sendMail(port, { to: mailbox.address, subject: 'RESOLVED: Backup job 4713 failed at 2026-03-02 03:10:00' })).code).toBe(250);
    expect((await alertsOf(t, mailbox.id)).map((alert) => alert.status)).toEqual(['RESOLVED']);
  });

  it("keys alerts by the integration's regex: its first capture group", async () => {
    const mailbox = await createIntegration(t, serviceId, 'regex', 'EMAIL', { emailDedupPattern: 'on host (\\S+)' });
    for (const subject of ['CPU high on host web-7', 'Disk full on host web-7', 'CPU high on host web-8']) {
      expect((await sendMail(port, { to: mailbox.address, subject })).code).toBe(250);
    }
    const alerts = await alertsOf(t, mailbox.id);
    expect(alerts.map((alert) => [alert.details.dedupKey, alert.occurrences])).toEqual([
      ['web-7', 2],
      ['web-8', 1],
    ]);
  });

  it('refuses a dedup regex that could backtrack for ever when the integration is saved', async () => {
    const saved = await t.gql(`mutation($s: ID!) { createIntegration(input: { name: "bad", vendor: EMAIL, serviceId: $s, options: { emailDedupPattern: "(a+)+$" } }) { secret } }`, { s: serviceId });
    expect(saved.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('exponential') });
  });

  it('stores an HTML-only mail as plain text, without tags or scripts', async () => {
    const mailbox = await createIntegration(t, serviceId, 'html');
    const html = '<html><head><style>p { color: red }</style></head><body><h1>Queue stuck</h1><p>Consumer <b>orders-3</b> is <a href="https://example.com/q">lagging</a>.</p><script>alert("x")</script><img src="cid:logo"></body></html>';
    expect((await sendMail(port, { to: mailbox.address, subject: 'Queue stuck', html })).code).toBe(250);
    const [alert] = await alertsOf(t, mailbox.id);
    expect(alert.description).toContain('orders-3');
    expect(alert.description).toContain('lagging');
    expect(alert.description).not.toMatch(/[<>]|alert\(|color: red/);
  });

  it('refuses a message over the size limit with 552, declared with SIZE or found while reading DATA, and stores nothing', async () => {
    const mailbox = await createIntegration(t, serviceId, 'large');
    const before = await metric(t, 'EMAIL', 'message_too_large');
    expect((await sendMail(port, { to: mailbox.address, subject: 'too large', text: 'x'.repeat(MAX_BYTES * 2) })).code).toBe(552);

    const line = `${'y'.repeat(998)}\r\n`;
    const replies = await smtpDialogue(port, [
      'EHLO client.test',
      `MAIL FROM:<monitor@example.com> SIZE=${MAX_BYTES * 2}`,
      'MAIL FROM:<monitor@example.com>',
      `RCPT TO:<${mailbox.address}>`,
      'DATA',
      `Subject: too large\r\n\r\n${line.repeat(Math.ceil((MAX_BYTES * 2) / line.length))}`,
      '.',
      'QUIT',
    ]);
    expect(replies[1]).toMatch(/^250-/);
    expect(replies.slice(2, 7).map((reply) => reply.slice(0, 3))).toEqual(['552', '250', '250', '354', '552']);
    // The listener is still good: the next message is taken.
    expect((await sendMail(port, { to: mailbox.address, subject: 'marker after the large ones' })).code).toBe(250);
    expect((await alertsOf(t, mailbox.id)).map((alert) => alert.summary)).toEqual(['marker after the large ones']);
    expect(await metric(t, 'EMAIL', 'message_too_large')).toBe(before + 2);
  });

  it('refuses unknown recipients at RCPT TO: a wrong domain, an unknown key, another vendor’s key, a disabled integration', async () => {
    const mailbox = await createIntegration(t, serviceId, 'known');
    const webhook = await createIntegration(t, serviceId, 'generic', 'GENERIC');
    const disabled = await createIntegration(t, serviceId, 'disabled');
    expect((await t.gql(`mutation($id: ID!) { updateIntegration(input: { id: $id, enabled: false }) { integration { id } } }`, { id: disabled.id })).errors).toBeUndefined();
    const refusals = [
      `${mailbox.secret}@elsewhere.test`,
      `whk_${'A'.repeat(43)}@${DOMAIN}`,
      `postmaster@${DOMAIN}`,
      webhook.address,
      disabled.address,
    ];
    for (const to of refusals) {
      const answer = await sendMail(port, { to, subject: 'should not arrive' });
      expect({ to, code: answer.code }).toEqual({ to, code: 550 });
    }
    // Mixed recipients: the known one gets the mail, the unknown one is refused.
    const mixed = await sendMail(port, { to: [`whk_nobody@${DOMAIN}`, mailbox.address], subject: 'for the known one only' });
    expect(mixed).toMatchObject({ code: 250, rejected: [`whk_nobody@${DOMAIN}`] });
    expect((await alertsOf(t, mailbox.id)).map((alert) => alert.summary)).toEqual(['for the known one only']);
    expect(await alertsOf(t, webhook.id)).toEqual([]);
    expect(await alertsOf(t, disabled.id)).toEqual([]);
    expect(await metric(t, 'unknown', 'unknown_integration')).toBeGreaterThanOrEqual(3);
    expect(await metric(t, 'EMAIL', 'integration_disabled')).toBe(1);
  });

  it('refuses more recipients than allowed with 452', async () => {
    const mailboxes = await Promise.all([1, 2, 3, 4].map((n) => createIntegration(t, serviceId, `many-${n}`)));
    const answer = await smtpDialogue(port, ['EHLO client.test', 'MAIL FROM:<monitor@example.com>', ...mailboxes.map((mailbox) => `RCPT TO:<${mailbox.address}>`), 'RSET', 'QUIT']);
    expect(answer.slice(3, 7).map((reply) => reply.slice(0, 3))).toEqual(['250', '250', '250', '452']);
  });

  it("holds each integration to its rate limit with a temporary 450, and lets other integrations through", async () => {
    const limited = await createIntegration(t, serviceId, 'limited', 'EMAIL', { rateLimitPerMinute: 2 });
    const other = await createIntegration(t, serviceId, 'unlimited');
    expect((await sendMail(port, { to: limited.address, subject: 'first' })).code).toBe(250);
    expect((await sendMail(port, { to: limited.address, subject: 'second' })).code).toBe(250);
    const refused = await sendMail(port, { to: limited.address, subject: 'third' });
    expect(refused.code).toBe(450);
    expect(refused.response).toMatch(/2 messages per minute/);
    expect((await sendMail(port, { to: other.address, subject: 'other integration' })).code).toBe(250);
    expect((await alertsOf(t, limited.id)).map((alert) => alert.summary)).toEqual(['first', 'second']);
    expect(await metric(t, 'EMAIL', 'rate_limited')).toBe(1);
  });

  it('never logs an integration key nor keeps one in a dead letter', async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const deadLetters = JSON.stringify(await t.app.db.query(`SELECT headers, query, body, details FROM dead_letter`));
    const log = logged.join('');
    expect(log).toContain('smtp listener for inbound e-mail started');
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(deadLetters).not.toContain(secret);
    }
  });
});

describe('inbound e-mail during a database outage', () => {
  let t: TestApp;
  let port: number;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestApp({
      throughProxy: true,
      config: { DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '1000', JOBS_ENABLED: 'false', SMTP_INGEST_LISTEN: '127.0.0.1:0', SMTP_INGEST_DOMAIN: DOMAIN },
    });
    port = t.app.smtp!.address().port;
    serviceId = await createService(t, 'outage');
  });
  afterAll(() => t.close());
  afterEach(() => t.proxy!.restore());

  it('answers 451 while the database is cut, and takes the mail when it is sent again after recovery', async () => {
    const mailbox = await createIntegration(t, serviceId, 'outage');
    // An integration this instance has never looked up: even its recipient needs the database.
    const uncached = await createIntegration(t, serviceId, 'outage-uncached');
    expect((await sendMail(port, { to: mailbox.address, subject: 'before the cut' })).code).toBe(250);

    t.proxy!.cut('refuse');
    expect((await sendMail(port, { to: mailbox.address, subject: 'during the cut' })).code).toBe(451);
    expect((await sendMail(port, { to: uncached.address, subject: 'during the cut, uncached' })).code).toBe(451);

    t.proxy!.restore();
    await untilReady(t);
    expect((await sendMail(port, { to: mailbox.address, subject: 'during the cut' })).code).toBe(250);
    expect((await sendMail(port, { to: uncached.address, subject: 'during the cut, uncached' })).code).toBe(250);
    expect((await alertsOf(t, mailbox.id)).map((alert) => [alert.summary, alert.occurrences])).toEqual([
      ['before the cut', 1],
      ['during the cut', 1],
    ]);
    expect((await alertsOf(t, uncached.id)).map((alert) => alert.summary)).toEqual(['during the cut, uncached']);
  });

  it('closes with the application, so its port is free again', async () => {
    const listener = t.app.smtp!;
    const other = await startTestApp({ sameDatabaseAs: t, config: { JOBS_ENABLED: 'false', SMTP_INGEST_LISTEN: '127.0.0.1:0', SMTP_INGEST_DOMAIN: DOMAIN } });
    const otherPort = other.app.smtp!.address().port;
    await other.close();
    await expect(sendMail(otherPort, { to: `x@${DOMAIN}`, subject: 'closed' })).rejects.toMatchObject({ code: 'ESOCKET' });
    expect(listener.address().port).toBe(port);
  });
});

describe('inbound e-mail from an address guessing keys', () => {
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      config: { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_SECONDS: '60', JOBS_ENABLED: 'false', SMTP_INGEST_LISTEN: '127.0.0.1:0', SMTP_INGEST_DOMAIN: DOMAIN },
    });
    port = t.app.smtp!.address().port;
  });
  afterAll(() => t.close());

  it('refuses its connections with 421 once it has named too many unknown recipients, until it has earned another try', async () => {
    const mailbox = await createIntegration(t, await createService(t, 'guessing'), 'guessed');
    for (const guess of ['whk_a', 'whk_b', 'whk_c']) expect((await sendMail(port, { to: `${guess}@${DOMAIN}`, subject: 'guess' })).code).toBe(550);
    expect((await sendMail(port, { to: mailbox.address, subject: 'right key, blocked address' })).code).toBe(421);
    expect(await metric(t, 'unknown', 'too_many_auth_failures')).toBe(1);

    // 3 failures a minute: one more try every 20 s.
    clock.advance(20_000);
    expect((await sendMail(port, { to: mailbox.address, subject: 'right key, later' })).code).toBe(250);
    expect((await alertsOf(t, mailbox.id)).map((alert) => alert.summary)).toEqual(['right key, later']);
  });
});
