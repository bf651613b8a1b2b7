import { verifyWebhookSignature, WEBHOOK_IDEMPOTENCY_HEADER } from '../../../src/notify';
import { ActorType, Audience, Priority } from '../../../src/schema/enums';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { SubscriberChannel } from '../../../src/shared/enums';
import { waitFor } from '../../../scripts/support/wait';
import { startHttpReceiver, type HttpReceiver, type RecordedRequest } from '../../support/receivers/http-receiver';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../../support/receivers/smtp-receiver';
import { insertSubscribers, unsubscribeEveryone } from '../../support/status-subscribers';
import { startTestApp, type TestApp } from '../../support/test-app';

const rita: Actor = { type: ActorType.PERSON, id: null, name: 'Rita Responder' };
const SECRET = 'whsec_subscriber_0123456789';
const BASE = 'https://status.example.com';

describe('Status fan-out: subscribers told of public updates, through real SMTP and HTTP receivers', () => {
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  let t: TestApp;
  /** This test's own public service (a component of the main page), so what other tests did to theirs does not show. */
  let svc: string;
  let serviceCount = 0;

  const services = () => t.app.services;
  const mailTo = (address: string): ReceivedMail[] => smtp.messages.filter((mail) => mail.envelope.rcptTo.includes(address));
  const posted = (path: string): RecordedRequest[] => http.requests.filter((request) => request.path === path);
  const publicUpdate = async (incidentId: string, body: string) => services().statusUpdates.post(rita, incidentId, body, Audience.PUBLIC);
  const declare = (title: string, serviceId = svc) => services().incidents.declare(rita, { title, serviceId, priority: Priority.P3 });
  const newService = async (name: string) => {
    serviceCount += 1;
    return (await services().catalog.createService({ name, slug: `component-${serviceCount}`, public: true })).id;
  };
  const json = (request: RecordedRequest) => JSON.parse(request.rawBody);
  const incidentPosts = (path: string) => posted(path).filter((request) => json(request).incident);
  const componentPosts = (path: string) => posted(path).filter((request) => json(request).component_update);
  const tokenOf = (link: string) => decodeURIComponent(/[?&]token=([^&\s>]+)/.exec(link)![1]);
  const runFanout = () => t.app.scheduler.trigger('status-fanout');
  /** Everything decided for the event of this update: expanded, and every delivery settled (or waiting for its window). */
  const deliveriesOf = async (statusUpdateId: string): Promise<Array<{ subscriber_id: string; status: string; attempts: number }>> =>
    t.app.db.query(`SELECT d.subscriber_id, d.status, d.attempts FROM status_delivery d JOIN status_event e ON e.id = d.event_id WHERE e.key = $1`, [`incident-update:${statusUpdateId}`]);
  const expanded = (statusUpdateId: string) =>
    waitFor('the event expanded', async () => ((await t.app.db.query(`SELECT 1 FROM status_event WHERE key = $1 AND expanded_at IS NOT NULL`, [`incident-update:${statusUpdateId}`])).length ? true : undefined), 10_000);

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    http = await startHttpReceiver();
    t = await startTestApp({
      clock,
      // The fan-out runs when a commit wakes it and when a test triggers it, not on a tick of its own in between: a pass
      // starting just before an update's commit would split the update from the component change it makes. The
      // receivers are on loopback, which subscribers' URLs may only be on an intranet deployment.
      config: { SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_FROM: 'Status <status@example.com>', PUBLIC_BASE_URL: BASE, STATUS_FANOUT_SCHEDULE: '0 0 0 1 1 *', STATUS_SUBSCRIBER_ALLOW_PRIVATE_URLS: 'true' },
    });
  });
  afterAll(async () => {
    await t.close();
    await http.close();
    await smtp.close();
  });
  beforeEach(async () => {
    // Each test has its own subscribers and component, with every earlier digest window long over.
    clock.advance(3_600_000);
    await unsubscribeEveryone(t.app.db, clock.now());
    svc = await newService('Checkout');
    // No pass still under way from the test before: one that began before this test's update committed would take its
    // event without the component change the update makes, which would then wait for the subscriber's digest window.
    await runFanout();
  });

  it('brings a PUBLIC update to an e-mail subscriber and a webhook subscriber, each with its own unsubscribe link, the webhook signed with its secret', async () => {
    const [mailId, hookId] = await insertSubscribers(t.app.db, [
      { channel: SubscriberChannel.EMAIL, address: 'ana@example.com', serviceIds: [svc] },
      { channel: SubscriberChannel.WEBHOOK, address: `${http.url}/hooks/first`, signingSecret: SECRET, serviceIds: [svc] },
    ]);
    const incident = await declare('Checkout errors');
    await publicUpdate(incident.id, 'We are investigating failed payments.');

    // The update, and the change of the component it made public, in one message.
    const mail = await waitFor('the e-mail', () => mailTo('ana@example.com')[0], 10_000);
    expect(mail.header('Subject')).toBe('Service status: 2 updates');
    expect(mail.header('From')).toBe('Status <status@example.com>');
    expect(mail.text).toContain('Checkout errors — Investigating\nWe are investigating failed payments.');
    expect(mail.text).toContain('Checkout: degraded performance\nCheckout changed from operational to degraded performance.');
    expect(mail.text).toContain(`Service status: ${BASE}/status/main`);
    const link = /Unsubscribe: (\S+)/.exec(mail.text)![1];
    expect(link.startsWith(`${BASE}/status/main/subscribers/unsubscribe?token=`)).toBe(true);
    expect(await services().linkKeys.verifyLinkToken('unsubscribe', tokenOf(link), clock.now())).toEqual({ subscriberId: mailId });
    expect(mail.header('List-Unsubscribe')).toBe(`<${link}>`);
    expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    const hook = await waitFor('the incident webhook', () => incidentPosts('/hooks/first')[0], 10_000);
    expect(verifyWebhookSignature(SECRET, hook.headers, hook.rawBody, { now: clock.now() })).toMatchObject({ ok: true });
    expect(verifyWebhookSignature('another secret of enough length', hook.headers, hook.rawBody, { now: clock.now() })).toEqual({ ok: false, reason: 'mismatch' });
    const body = JSON.parse(hook.rawBody);
    const page = await services().publicStatus.read('main');
    expect(body.page).toEqual({ id: page!.id, status_indicator: page!.indicator, status_description: page!.indicatorDescription });
    expect(body.incident).toMatchObject({ name: 'Checkout errors', status: 'investigating', page_id: page!.id, shortlink: `${BASE}/status/main` });
    expect(body.incident.incident_updates.map((update: { body: string }) => update.body)).toEqual(['We are investigating failed payments.']);
    expect(await services().linkKeys.verifyLinkToken('unsubscribe', tokenOf(body.meta.unsubscribe), clock.now())).toEqual({ subscriberId: hookId });
    // No internal id in what we send: the incident's own id is nowhere in the body.
    expect(hook.rawBody).not.toContain(incident.id);
    const change = await waitFor('the component webhook', () => componentPosts('/hooks/first')[0], 10_000);
    expect(verifyWebhookSignature(SECRET, change.headers, change.rawBody, { now: clock.now() })).toMatchObject({ ok: true });
    expect(json(change).component_update).toMatchObject({ old_status: 'operational', new_status: 'degraded_performance', component_id: body.incident.components[0].id });
    expect(json(change).component).toMatchObject({ name: 'Checkout', status: 'degraded_performance' });
    expect(change.rawBody).not.toContain(svc);
    expect(posted('/hooks/first')).toHaveLength(2);
  });

  it('brings an INTERNAL update to no one: the PUBLIC one posted after it is the only message', async () => {
    await insertSubscribers(t.app.db, [
      { channel: SubscriberChannel.EMAIL, address: 'bea@example.com', serviceIds: [svc] },
      { channel: SubscriberChannel.WEBHOOK, address: `${http.url}/hooks/internal`, signingSecret: SECRET, serviceIds: [svc] },
    ]);
    const incident = await declare('Login slow');
    await services().statusUpdates.post(rita, incident.id, 'db-7 failover, rolled back build 4411 (internal)', Audience.INTERNAL);
    const marker = await publicUpdate(incident.id, 'Logins are slow; we are on it.');
    await waitFor('the e-mail', () => mailTo('bea@example.com')[0], 10_000);
    await waitFor('the webhooks', () => (incidentPosts('/hooks/internal').length && componentPosts('/hooks/internal').length ? true : undefined), 10_000);
    expect(await deliveriesOf(marker.id)).toHaveLength(2);
    expect(mailTo('bea@example.com').map((mail) => mail.text)).toEqual([expect.stringContaining('Logins are slow; we are on it.')]);
    expect(incidentPosts('/hooks/internal').map((request) => json(request).incident.incident_updates.map((update: { body: string }) => update.body))).toEqual([['Logins are slow; we are on it.']]);
    expect(posted('/hooks/internal')).toHaveLength(2);
    for (const text of [...mailTo('bea@example.com').map((mail) => `${mail.header('Subject')}\n${mail.text}`), ...posted('/hooks/internal').map((request) => request.rawBody)]) {
      expect(text).not.toMatch(/db-7 failover|build 4411|\(internal\)/);
    }
  });

  it('tells no subscriber of another component, another page, nor an unconfirmed, unsubscribed or later one', async () => {
    const [otherPage] = await t.app.db.query(
      `INSERT INTO status_page (slug, title, time_zone, kind, created_at, updated_at) VALUES ('login-status', 'Login status', 'UTC', 'SERVICES', now(), now()) RETURNING id`,
    );
    const login = await newService('Login');
    await t.app.db.query(`INSERT INTO status_page_component (page_id, service_id, position) VALUES ($1, $2, 1)`, [otherPage.id, login]);
    const incident = await declare('Checkout timeouts');
    const [told] = await insertSubscribers(t.app.db, [
      { channel: SubscriberChannel.EMAIL, address: 'told@example.com', serviceIds: [svc, login] },
      { channel: SubscriberChannel.EMAIL, address: 'login-only@example.com', serviceIds: [login] },
      { page: 'login-status', channel: SubscriberChannel.EMAIL, address: 'other-page@example.com' },
      { channel: SubscriberChannel.EMAIL, address: 'unconfirmed@example.com', confirmedAt: null },
      { channel: SubscriberChannel.EMAIL, address: 'left@example.com', unsubscribedAt: clock.now() },
      { channel: SubscriberChannel.EMAIL, address: 'later@example.com', confirmedAt: new Date(clock.now().getTime() + 60_000) },
    ]);
    const update = await publicUpdate(incident.id, 'Checkout requests time out for some customers.');
    await waitFor('the e-mail', () => mailTo('told@example.com')[0], 10_000);
    // Every delivery of the event was decided in one statement before any was sent: only the matching subscriber's.
    expect((await deliveriesOf(update.id)).map((delivery) => delivery.subscriber_id)).toEqual([told]);
    for (const address of ['login-only', 'other-page', 'unconfirmed', 'left', 'later']) expect(mailTo(`${address}@example.com`)).toEqual([]);
  });

  it('sends the first update at once and the next two, posted within the digest window, as one digest when it is over', async () => {
    await insertSubscribers(t.app.db, [
      { channel: SubscriberChannel.EMAIL, address: 'digest@example.com', serviceIds: [svc] },
      { channel: SubscriberChannel.WEBHOOK, address: `${http.url}/hooks/digest`, signingSecret: SECRET, serviceIds: [svc] },
    ]);
    const incident = await declare('Search flapping');
    await publicUpdate(incident.id, 'Search is failing.');
    await waitFor('the first e-mail', () => mailTo('digest@example.com')[0], 10_000);
    await waitFor('the first webhooks', () => (posted('/hooks/digest').length >= 2 ? true : undefined), 10_000);
    clock.advance(60_000);
    const second = await publicUpdate(incident.id, 'Search is back.');
    clock.advance(60_000);
    const third = await publicUpdate(incident.id, 'Search is failing again.');
    await expanded(second.id);
    await expanded(third.id);
    await runFanout();
    // Decided and waiting for the subscriber's window, not sent.
    expect((await deliveriesOf(third.id)).map((delivery) => delivery.status)).toEqual(['PENDING', 'PENDING']);
    expect(mailTo('digest@example.com')).toHaveLength(1);

    clock.advance(181_000);
    await runFanout();
    const digest = await waitFor('the digest', () => mailTo('digest@example.com')[1], 10_000);
    expect(digest.header('Subject')).toBe('Service status: 2 updates');
    expect(digest.text).toContain('Search flapping — Investigating\nSearch is back.');
    expect(digest.text).toContain('Search flapping — Investigating\nSearch is failing again.');
    expect(digest.text).not.toContain('Search is failing.\n');
    const [, latest] = await waitFor('the second incident webhook', () => (incidentPosts('/hooks/digest').length >= 2 ? incidentPosts('/hooks/digest') : undefined), 10_000);
    // One POST for the incident, carrying its latest state.
    expect(json(latest).incident.incident_updates.map((update: { body: string }) => update.body)).toEqual(['Search is failing again.', 'Search is back.', 'Search is failing.']);
    expect(mailTo('digest@example.com')).toHaveLength(2);
    expect(incidentPosts('/hooks/digest')).toHaveLength(2);
    expect(componentPosts('/hooks/digest')).toHaveLength(1);
  });

  it("brings a public window's announcement to e-mail, Slack and webhook subscribers, in customers' words", async () => {
    const teamId = (await services().teams.create({ name: `Ops ${clock.now().getTime()}`, memberIds: [] })).id;
    await insertSubscribers(t.app.db, [
      { channel: SubscriberChannel.EMAIL, address: 'maint@example.com', serviceIds: [svc] },
      { channel: SubscriberChannel.SLACK, address: `${http.url}/slack/maint`, serviceIds: [svc] },
      { channel: SubscriberChannel.WEBHOOK, address: `${http.url}/hooks/maint`, signingSecret: SECRET, serviceIds: [svc] },
    ]);
    const startsAt = new Date(clock.now().getTime() + 2 * 86_400_000);
    const window = await services().maintenance.schedule(rita, { title: 'Card vault upgrade', serviceIds: [svc], teamId, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000) });
    const mail = await waitFor('the e-mail', () => mailTo('maint@example.com')[0], 10_000);
    expect(mail.header('Subject')).toBe('Scheduled maintenance: Card vault upgrade');
    expect(mail.text).toContain('Affected: Checkout.');
    expect(mail.text).not.toMatch(/suppress|alert/i);
    const slack = JSON.parse((await waitFor('the Slack message', () => posted('/slack/maint')[0], 10_000)).rawBody);
    expect(slack.text).toContain('*Scheduled maintenance: Card vault upgrade*');
    expect(slack.text).toContain('Unsubscribe: https://status.example.com/status/main/subscribers/unsubscribe?token=');
    const hook = JSON.parse((await waitFor('the webhook', () => posted('/hooks/maint')[0], 10_000)).rawBody);
    const shown = await services().publicStatus.maintenance(window.id);
    expect(hook.incident).toMatchObject({ id: shown!.id, name: 'Card vault upgrade', status: 'scheduled', impact: 'maintenance', scheduled_for: startsAt.toISOString() });
  });

  it("is taken by a STATUSPAGE integration (this deployment's own): our webhook opens a provider alert and incident there", async () => {
    // The integration's service is private, so what it opens shows on no page of ours.
    const providerService = (await services().catalog.createService({ name: 'Upstream status', slug: 'upstream-status' })).id;
    const { integration, secret } = await services().integrations.create({ name: 'Our own status page', vendor: 'STATUSPAGE', serviceId: providerService });
    await insertSubscribers(t.app.db, [{ channel: SubscriberChannel.WEBHOOK, address: `${t.url}/webhooks/${integration.id}?key=${secret}`, signingSecret: SECRET, serviceIds: [svc] }]);
    const incident = await declare('Card payments failing');
    await publicUpdate(incident.id, 'Card payments fail for some customers.');
    const [page, shown] = [await services().publicStatus.read('main'), await services().publicStatus.incident(incident.id)];
    const alert = await waitFor(
      'the alert with its incident',
      async () =>
        (await t.app.db.query(`SELECT fingerprint, status, summary, incident_id FROM alert WHERE integration_id = $1 AND incident_id IS NOT NULL AND fingerprint LIKE '%:incident:%'`, [integration.id]))[0] as
          | { fingerprint: string; status: string; summary: string; incident_id: string }
          | undefined,
      10_000,
    );
    expect(alert).toMatchObject({ fingerprint: `statuspage:${page!.id}:incident:${shown!.id}`, status: 'FIRING', summary: 'Card payments failing' });
    const [opened] = await t.app.db.query(`SELECT source, service_id FROM incident WHERE id = $1`, [alert.incident_id]);
    expect(opened).toEqual({ source: 'PROVIDER', service_id: providerService });
    // And the component's change, keyed by its component.
    const component = await waitFor('the component alert', async () => (await t.app.db.query(`SELECT fingerprint FROM alert WHERE integration_id = $1 AND fingerprint LIKE '%:component:%'`, [integration.id]))[0] as { fingerprint: string } | undefined, 10_000);
    expect(component.fingerprint).toBe(`statuspage:${page!.id}:component:${shown!.components[0].id}`);
  });

  it('retries a webhook its receiver answered 500, with the same idempotency key, until it answers 200', async () => {
    const [hookId] = await insertSubscribers(t.app.db, [{ channel: SubscriberChannel.WEBHOOK, address: `${http.url}/hooks/retry`, signingSecret: SECRET, serviceIds: [svc] }]);
    const incident = await declare('Webhooks delayed');
    // Both first POSTs (the incident's and its component's) are refused.
    http.respondWith({ status: 500, body: 'busy' }, 2);
    const update = await publicUpdate(incident.id, 'Outbound webhooks are delayed.');
    await waitFor('the first attempts', () => (posted('/hooks/retry').length >= 2 ? true : undefined), 10_000);
    await waitFor('the retry planned', async () => ((await deliveriesOf(update.id))[0]?.status === 'PENDING' ? true : undefined), 10_000);
    clock.advance(6_000);
    await runFanout();
    const [first, second] = await waitFor('the retry', () => (incidentPosts('/hooks/retry').length >= 2 ? incidentPosts('/hooks/retry') : undefined), 10_000);
    expect(second.headers[WEBHOOK_IDEMPOTENCY_HEADER.toLowerCase()]).toBe(first.headers[WEBHOOK_IDEMPOTENCY_HEADER.toLowerCase()]);
    expect(json(second).incident).toEqual(json(first).incident);
    expect(await deliveriesOf(update.id)).toEqual([{ subscriber_id: hookId, status: 'SENT', attempts: 2 }]);
    await waitFor('the component retried', () => (componentPosts('/hooks/retry').length >= 2 ? true : undefined), 10_000);
    expect(incidentPosts('/hooks/retry')).toHaveLength(2);
    expect(componentPosts('/hooks/retry')).toHaveLength(2);
  });
});
