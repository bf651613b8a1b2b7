import request from 'supertest';
import { ManualClock } from '../../src/shared/clock';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../support/receivers/smtp-receiver';
import { startTestApp, type TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const JSON_TYPE = 'application/json';
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface SubscriberRow {
  id: string;
  address: string;
  channel: string;
  service_ids: string[];
  signing_secret: string | null;
  confirm_expires_at: Date | null;
  confirmed_at: Date | null;
  unsubscribed_at: Date | null;
}

describe('status page subscribers: subscribe, confirm, unsubscribe over HTTP, with e-mail on a real SMTP receiver', () => {
  const clock = new ManualClock('2026-05-04T10:00:00Z');
  let smtp: SmtpReceiver;
  let t: TestApp;
  let apiComponent: string;
  let dashboardComponent: string;
  let privateComponent: string;
  let apiServiceId: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false', SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_FROM: 'Status <status@example.com>', STATUS_SUBSCRIBE_RATE_PER_MINUTE: '100000' } });
    const catalog = t.app.services.catalog;
    apiServiceId = (await catalog.createService({ name: 'Public API', slug: 'public-api', public: true })).id;
    await catalog.createService({ name: 'Dashboard', slug: 'dashboard', public: true });
    const billing = await catalog.createService({ name: 'Billing backend', slug: 'billing-backend' });
    // The ids the page shows; a private service is not on it, so its id is made the same way, as a guess would be.
    const { components } = (await t.app.services.publicStatus.read('main'))!;
    [apiComponent, dashboardComponent] = ['Public API', 'Dashboard'].map((name) => components.find((component) => component.name === name)!.id);
    expect(components.map((component) => component.name)).not.toContain('Billing backend');
    privateComponent = await t.app.services.linkKeys.publicId('component', billing.id);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const subscribe = (body: Record<string, unknown>, accept = JSON_TYPE) => request(t.url).post('/status/main/subscribers').set('Accept', accept).send(body);
  const subscribeByForm = (form: string, accept = BROWSER) => request(t.url).post('/status/main/subscribers').set('Accept', accept).type('form').send(form);
  const rows = (address: string): Promise<SubscriberRow[]> => t.app.db.query(`SELECT * FROM status_subscriber WHERE address = $1 ORDER BY created_at, id`, [address]);
  const mailsTo = (address: string) => smtp.messages.filter((mail) => mail.envelope.rcptTo.includes(address));

  /** Delivers the outbox, then waits for the `n`-th e-mail to `address`. */
  async function nthMailTo(address: string, n: number): Promise<ReceivedMail> {
    await t.app.services.delivery.drain();
    const deadline = Date.now() + 5000;
    while (mailsTo(address).length < n) {
      if (Date.now() > deadline) throw new Error(`e-mail ${n} to ${address} did not arrive; ${mailsTo(address).length} did`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return mailsTo(address)[n - 1];
  }

  /** The heading of an answer page (the status page's message page). */
  const headingOf = (html: string) => /<h1 id="message-heading">([^<]*)<\/h1>/.exec(html)?.[1];

  function linkIn(mail: ReceivedMail, action: 'confirm' | 'unsubscribe'): string {
    const found = new RegExp(`https?://\\S+?(/status/main/subscribers/${action}\\?token=[A-Za-z0-9._%-]+)`).exec(mail.text);
    if (!found) throw new Error(`no ${action} link in: ${mail.text}`);
    return found[1];
  }

  it('double opt-in: a pending row, a confirmation e-mail with its links, and the confirm link activates it', async () => {
    const answer = await subscribe({ channel: 'EMAIL', address: '  Ana.Lima@Example.COM ', components: [apiComponent] });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ channel: 'EMAIL', message: expect.stringContaining('Check your inbox') });
    const [pending] = await rows('ana.lima@example.com');
    expect(pending).toMatchObject({ channel: 'EMAIL', service_ids: [apiServiceId], confirmed_at: null, unsubscribed_at: null, confirm_expires_at: new Date('2026-05-11T10:00:00Z') });

    const mail = await nthMailTo('ana.lima@example.com', 1);
    expect(mail.header('subject')).toBe('Confirm your subscription to Service status');
    expect(mail.text).toContain('these components: Public API');
    expect(mail.text).toContain('The link expires at 2026-05-11T10:00:00.000Z (UTC)');
    const unsubscribe = linkIn(mail, 'unsubscribe');
    // RFC 8058: mail clients show "unsubscribe" and POST to it themselves.
    expect(mail.header('list-unsubscribe')).toMatch(new RegExp(`^<https?://[^>]+${unsubscribe.replace(/[?.]/g, '\\$&')}>$`));
    expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    clock.advance(HOUR);
    const confirmed = await request(t.url).get(linkIn(mail, 'confirm')).set('Accept', BROWSER);
    expect(confirmed.status).toBe(200);
    expect(confirmed.type).toBe('text/html');
    expect(headingOf(confirmed.text)).toBe('Subscription confirmed');
    expect((await rows('ana.lima@example.com'))[0]).toMatchObject({ id: pending.id, confirmed_at: new Date('2026-05-04T11:00:00Z'), unsubscribed_at: null });

    // Following it again changes nothing and says the same.
    clock.advance(HOUR);
    const again = await request(t.url).get(linkIn(mail, 'confirm'));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ confirmed: true, message: expect.stringContaining('is confirmed') });
    expect((await rows('ana.lima@example.com'))[0].confirmed_at).toEqual(new Date('2026-05-04T11:00:00Z'));
  });

  it('an expired confirmation link confirms nothing and says so; subscribing again sends a link that works', async () => {
    expect((await subscribe({ channel: 'EMAIL', address: 'bruno@example.com' })).status).toBe(202);
    const mail = await nthMailTo('bruno@example.com', 1);
    expect(mail.text).toContain('every component of the page');
    clock.advance(168 * HOUR + 1000);

    const expired = await request(t.url).get(linkIn(mail, 'confirm'));
    expect(expired.status).toBe(410);
    expect(expired.body).toEqual({ error: expect.stringContaining('expired'), field: 'token', subscribeUrl: expect.stringMatching(/\/status\/main$/) });
    const page = await request(t.url).get(linkIn(mail, 'confirm')).set('Accept', BROWSER);
    expect(page.status).toBe(410);
    expect(headingOf(page.text)).toBe('This link has expired');
    expect(page.text).toMatch(/<a href="[^"]*\/status\/main">Subscribe again<\/a>/);
    const [stillPending] = await rows('bruno@example.com');
    expect(stillPending.confirmed_at).toBeNull();

    expect((await subscribe({ channel: 'EMAIL', address: 'bruno@example.com', components: [dashboardComponent] })).status).toBe(202);
    const fresh = await nthMailTo('bruno@example.com', 2);
    expect(fresh.text).toContain('these components: Dashboard');
    expect((await request(t.url).get(linkIn(fresh, 'confirm'))).status).toBe(200);
    expect(await rows('bruno@example.com')).toEqual([expect.objectContaining({ id: stillPending.id, confirmed_at: clock.now(), service_ids: [expect.any(String)] })]);
  });

  it("opening the unsubscribe link only asks (a mail scanner's GET or HEAD leaves the subscriber subscribed); its button's POST unsubscribes, and the address can subscribe again", async () => {
    await subscribe({ channel: 'EMAIL', address: 'carla@example.com' });
    const mail = await nthMailTo('carla@example.com', 1);
    expect((await request(t.url).get(linkIn(mail, 'confirm'))).status).toBe(200);
    const [subscribed] = await rows('carla@example.com');
    expect(subscribed).toMatchObject({ confirmed_at: clock.now(), unsubscribed_at: null });

    clock.advance(HOUR);
    const unsubscribe = linkIn(mail, 'unsubscribe');
    const asked = await request(t.url).get(unsubscribe).set('Accept', BROWSER);
    expect(asked.status).toBe(200);
    expect(headingOf(asked.text)).toBe('Unsubscribe c•••@example.com from Service status?');
    expect(asked.text).not.toContain('carla@example.com');
    // The button posts back to the link itself (a path on this site: the CSP lets forms go nowhere else).
    const action = /<form method="post" action="([^"]+)">\s*<button type="submit">Unsubscribe<\/button>/.exec(asked.text)?.[1].replace(/&amp;/g, '&');
    expect(action).toBe(unsubscribe);
    expect((await request(t.url).head(unsubscribe)).status).toBe(200);
    expect(await request(t.url).get(unsubscribe).then((answer) => answer.body)).toEqual({ unsubscribed: false, subscription: 'c•••@example.com', message: expect.stringContaining('POST to this URL') });
    expect(await rows('carla@example.com')).toEqual([subscribed]);

    const left = await request(t.url).post(action!).set('Accept', BROWSER).type('form').send('');
    expect(left.status).toBe(200);
    expect(headingOf(left.text)).toBe('Unsubscribed');
    const [gone] = await rows('carla@example.com');
    expect(gone).toMatchObject({ id: subscribed.id, unsubscribed_at: clock.now() });
    // Again, and opening the link once more: the same answer, the first time kept.
    clock.advance(HOUR);
    expect((await request(t.url).post(unsubscribe)).body).toEqual({ unsubscribed: true, message: expect.any(String) });
    const reopened = await request(t.url).get(unsubscribe).set('Accept', BROWSER);
    expect(headingOf(reopened.text)).toBe('Unsubscribed');
    expect(reopened.text).not.toContain('<form');
    expect((await rows('carla@example.com'))[0].unsubscribed_at).toEqual(gone.unsubscribed_at);
    // The old confirmation link cannot bring the cancelled subscription back.
    const stale = await request(t.url).get(linkIn(mail, 'confirm'));
    expect(stale.status).toBe(410);
    expect(stale.body.field).toBe('token');

    expect((await subscribe({ channel: 'EMAIL', address: 'carla@example.com' })).status).toBe(202);
    const welcomeBack = await nthMailTo('carla@example.com', 2);
    expect(welcomeBack.header('subject')).toBe('Confirm your subscription to Service status');
    expect((await request(t.url).get(linkIn(welcomeBack, 'confirm'))).status).toBe(200);
    const [old, renewed] = await rows('carla@example.com');
    expect(old).toMatchObject({ id: gone.id, unsubscribed_at: gone.unsubscribed_at });
    expect(renewed).toMatchObject({ confirmed_at: clock.now(), unsubscribed_at: null });
    expect(renewed.id).not.toBe(gone.id);
  });

  it('names a Slack or webhook subscription on the unsubscribe page by its host only (the URL is its credential)', async () => {
    const url = 'https://52.85.12.36/services/T0/B0/slack-credential-part';
    expect((await subscribe({ channel: 'SLACK', address: url })).status).toBe(202);
    const [slack] = await rows(url);
    const token = await t.app.services.linkKeys.linkToken('unsubscribe', slack.id);
    const asked = await request(t.url).get(`/status/main/subscribers/unsubscribe?token=${encodeURIComponent(token)}`).set('Accept', BROWSER);
    expect(headingOf(asked.text)).toBe('Unsubscribe the Slack webhook at 52.85.12.36 from Service status?');
    expect(asked.text).not.toContain('slack-credential-part');
    expect((await rows(url))[0].unsubscribed_at).toBeNull();
    // Removed by an admin meanwhile: the link still asks, about "this subscription", and its POST changes nothing.
    await t.app.services.statusSubscribers.remove(slack.id);
    const removed = await request(t.url).get(`/status/main/subscribers/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(removed.body).toEqual({ unsubscribed: false, subscription: null, message: expect.stringMatching(/^Unsubscribe this subscription from Service status\?/) });
    expect((await request(t.url).post(`/status/main/subscribers/unsubscribe?token=${encodeURIComponent(token)}`)).status).toBe(200);
    expect(await rows(url)).toEqual([]);
  });

  it("a mail client's one-click POST (RFC 8058) to the List-Unsubscribe URL unsubscribes", async () => {
    await subscribe({ channel: 'EMAIL', address: 'dora@example.com' });
    const mail = await nthMailTo('dora@example.com', 1);
    expect((await request(t.url).get(linkIn(mail, 'confirm'))).status).toBe(200);
    const listUnsubscribe = new URL(/^<(.+)>$/.exec(mail.header('list-unsubscribe') ?? '')![1]);

    const oneClick = await request(t.url).post(`${listUnsubscribe.pathname}${listUnsubscribe.search}`).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect((await rows('dora@example.com'))[0]).toMatchObject({ unsubscribed_at: clock.now() });
  });

  it('answers a new, a pending and a confirmed address byte for byte alike, queueing one e-mail through the outbox each time', async () => {
    const address = 'eve@example.com';
    const body = { channel: 'EMAIL', address, components: [apiComponent] };
    const asNew = await subscribe(body);
    const formAsNew = await subscribeByForm(`channel=EMAIL&address=${encodeURIComponent('frank@example.com')}&components=${apiComponent}`);
    // Past the window in which one address gets one e-mail, so the pending address is sent another.
    clock.advance(11 * 60_000);
    const asPending = await subscribe(body);
    const first = await nthMailTo(address, 1);
    const second = await nthMailTo(address, 2);
    expect([first.header('subject'), second.header('subject')]).toEqual(['Confirm your subscription to Service status', 'Confirm your subscription to Service status']);
    expect((await request(t.url).get(linkIn(second, 'confirm'))).status).toBe(200);
    clock.advance(60_000);
    const asConfirmed = await subscribe(body);
    const formAsConfirmed = await subscribeByForm(`channel=EMAIL&address=${encodeURIComponent(address)}&components=${apiComponent}`);

    for (const answer of [asPending, asConfirmed]) {
      expect(answer.status).toBe(asNew.status);
      expect(answer.headers['content-type']).toBe(asNew.headers['content-type']);
      expect(answer.text).toBe(asNew.text);
    }
    expect(formAsConfirmed.status).toBe(formAsNew.status);
    expect(formAsConfirmed.text).toBe(formAsNew.text);
    expect(headingOf(formAsNew.text)).toBe('Check your inbox');

    // The owner of the confirmed address learns of the request; what it receives is unchanged.
    const told = await nthMailTo(address, 3);
    expect(told.header('subject')).toBe('You are already subscribed to Service status');
    expect(told.text).toContain('nothing changed');
    expect(linkIn(told, 'unsubscribe')).toBe(linkIn(first, 'unsubscribe'));
    const queued = await t.app.db.query(`SELECT reason FROM notification WHERE address = $1 ORDER BY created_at, id`, [address]);
    expect(queued.map((row: { reason: string }) => row.reason)).toEqual([
      'status page subscription: confirmation',
      'status page subscription: confirmation',
      'status page subscription: already subscribed',
    ]);
  });

  it('sends one e-mail per address within ten minutes however often it is submitted, and answers each request alike', async () => {
    const address = 'gil@example.com';
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await subscribe({ channel: 'EMAIL', address }));
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.text}`)).size).toBe(1);
    expect(await t.app.db.query(`SELECT count(*)::int AS n FROM notification WHERE address = $1`, [address])).toEqual([{ n: 1 }]);
    // The marker: another address subscribed after those; once its e-mail is in, Gil's would be too.
    await subscribe({ channel: 'EMAIL', address: 'marker-gil@example.com' });
    await nthMailTo('marker-gil@example.com', 1);
    expect(mailsTo(address)).toHaveLength(1);
  });

  it('subscribes Slack and webhook URLs at once, keeping the signing secret to itself', async () => {
    const secret = 'whsec-chosen-by-the-subscriber-0001';
    const webhook = await subscribe({ channel: 'WEBHOOK', address: 'https://52.85.12.34/incident-bridge/hook', secret, components: [apiComponent, dashboardComponent] });
    expect(webhook.status).toBe(202);
    expect(webhook.text).not.toContain(secret);
    expect((await rows('https://52.85.12.34/incident-bridge/hook'))[0]).toMatchObject({ channel: 'WEBHOOK', signing_secret: secret, confirmed_at: clock.now(), confirm_expires_at: null });
    expect((await rows('https://52.85.12.34/incident-bridge/hook'))[0].service_ids.sort()).toHaveLength(2);
    // Someone who knows the URL cannot change its secret or components: the same answer, nothing changed.
    const again = await subscribe({ channel: 'WEBHOOK', address: 'https://52.85.12.34/incident-bridge/hook', secret: 'another-secret-of-someone-else' });
    expect(again.text).toBe(webhook.text);
    expect((await rows('https://52.85.12.34/incident-bridge/hook'))[0]).toMatchObject({ signing_secret: secret });

    const slack = await subscribeByForm('channel=SLACK&address=https%3A%2F%2F52.85.12.35%2Fservices%2FT0%2FB0%2Fx&secret=', JSON_TYPE);
    expect(slack.status).toBe(202);
    expect(slack.body).toEqual({ channel: 'SLACK', message: expect.stringContaining('Subscribed') });
    expect((await rows('https://52.85.12.35/services/T0/B0/x'))[0]).toMatchObject({ channel: 'SLACK', service_ids: [], confirmed_at: clock.now() });
    expect(await t.app.db.query(`SELECT count(*)::int AS n FROM notification WHERE address LIKE 'https://52.85.12.3%'`)).toEqual([{ n: 0 }]);
  });

  describe('bad input', () => {
    const counts = async () => (await t.app.db.query(`SELECT (SELECT count(*) FROM status_subscriber)::int AS subscribers, (SELECT count(*) FROM notification)::int AS notifications`))[0];

    it.each<[string, string, RegExp, () => Record<string, unknown>]>([
      ['no channel', 'channel', /required/, () => ({ address: 'x@example.com' })],
      ['an unknown channel', 'channel', /EMAIL, SLACK or WEBHOOK/, () => ({ channel: 'FAX', address: 'x@example.com' })],
      ['no address', 'address', /required/, () => ({ channel: 'EMAIL' })],
      ['a malformed e-mail address', 'address', /not an e-mail address/, () => ({ channel: 'EMAIL', address: 'not-an-address' })],
      ['a display name with the address', 'address', /not an e-mail address/, () => ({ channel: 'EMAIL', address: 'Ana <ana@example.com>' })],
      ['an unknown component', 'components', /no component nosuchcompo/, () => ({ channel: 'EMAIL', address: 'x@example.com', components: ['nosuchcompo'] })],
      ['a private service as component', 'components', /no component/, () => ({ channel: 'EMAIL', address: 'x@example.com', components: [privateComponent] })],
      ['components that are not a list', 'components', /list/, () => ({ channel: 'EMAIL', address: 'x@example.com', components: 'all' })],
      ['a secret for e-mail', 'secret', /only a WEBHOOK/, () => ({ channel: 'EMAIL', address: 'x@example.com', secret: 'a-secret-of-16-chars' })],
      ['a webhook without secret', 'secret', /needs the secret/, () => ({ channel: 'WEBHOOK', address: 'https://52.85.12.34/h' })],
      ['a webhook with a short secret', 'secret', /16 to 200/, () => ({ channel: 'WEBHOOK', address: 'https://52.85.12.34/h', secret: 'short' })],
      ['a Slack URL that is not http(s)', 'address', /http or https/, () => ({ channel: 'SLACK', address: 'ftp://52.85.12.34/h' })],
      ['a loopback webhook', 'address', /loopback/, () => ({ channel: 'WEBHOOK', address: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' })],
      ['a metadata URL', 'address', /link-local/, () => ({ channel: 'SLACK', address: 'http://169.254.169.254/latest/meta-data/' })],
      ['a private network URL', 'address', /private/, () => ({ channel: 'SLACK', address: 'http://10.0.0.8/hook' })],
    ])('refuses %s with 400 naming %s, writing nothing', async (_case, field, message, body) => {
      const before = await counts();
      const answer = await subscribe(body());
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: expect.stringMatching(message), field });
      expect(await counts()).toEqual(before);
    });

    it('refuses a body that is not JSON, and a browser gets the field named on a page', async () => {
      const broken = await request(t.url).post('/status/main/subscribers').set('Content-Type', 'application/json').send('{"channel":');
      expect(broken.status).toBe(400);
      expect(broken.body.field).toBe('body');
      const form = await subscribeByForm('channel=EMAIL&address=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(form.status).toBe(400);
      expect(form.type).toBe('text/html');
      expect(form.text).toContain('address: is not an e-mail address');
      expect(form.text).not.toContain('<script>');
    });

    it('refuses missing, forged and misused tokens naming token, and answers 404 for an unknown page', async () => {
      await subscribe({ channel: 'EMAIL', address: 'hana@example.com' });
      const mail = await nthMailTo('hana@example.com', 1);
      const confirm = linkIn(mail, 'confirm');
      const unsubscribe = linkIn(mail, 'unsubscribe');
      const before = await counts();
      const token = (link: string) => new URL(link, t.url).searchParams.get('token')!;
      for (const [path, method] of [
        ['/status/main/subscribers/confirm', 'get'],
        ['/status/main/subscribers/confirm?token=garbage', 'get'],
        [`/status/main/subscribers/confirm?token=${token(confirm).slice(0, -2)}xx`, 'get'],
        // An unsubscribe token does not confirm, and a confirmation token does not unsubscribe.
        [`/status/main/subscribers/confirm?token=${token(unsubscribe)}`, 'get'],
        [`/status/main/subscribers/unsubscribe?token=${token(confirm)}`, 'get'],
        [`/status/main/subscribers/unsubscribe?token=${token(confirm)}`, 'post'],
        ['/status/main/subscribers/unsubscribe', 'get'],
        ['/status/main/subscribers/unsubscribe?token=', 'post'],
      ] as const) {
        const answer = await request(t.url)[method](path);
        expect([path, answer.status, answer.body.field]).toEqual([path, 400, 'token']);
      }
      expect(await counts()).toEqual(before);
      expect((await rows('hana@example.com'))[0]).toMatchObject({ confirmed_at: null, unsubscribed_at: null });
      expect((await request(t.url).post('/status/no-such-page/subscribers').send({ channel: 'EMAIL', address: 'x@example.com' })).status).toBe(404);
      expect((await request(t.url).get(`/status/no-such-page/subscribers/confirm?token=${token(confirm)}`)).status).toBe(404);
    });
  });
});
