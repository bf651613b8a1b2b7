import { createStatusChannels, type StatusChannels } from '../../../src/notify';
import { ActorType, Audience, Priority } from '../../../src/schema/enums';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { SubscriberChannel } from '../../../src/shared/enums';
import { waitFor } from '../../../scripts/support/wait';
import { startHttpReceiver, type HttpReceiver } from '../../support/receivers/http-receiver';
import { startSmtpReceiver, type SmtpReceiver } from '../../support/receivers/smtp-receiver';
import { insertSubscribers, unsubscribeEveryone } from '../../support/status-subscribers';
import { openTwoInstances, type TwoInstances } from '../../support/two-instances';

const rita: Actor = { type: ActorType.PERSON, id: null, name: 'Rita Responder' };
const EMAILS = 200;
const WEBHOOKS = 100;

const countBy = (values: string[]) => values.reduce((counts, value) => counts.set(value, (counts.get(value) ?? 0) + 1), new Map<string, number>());

describe('Status fan-out across two instances on one database', () => {
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let smtp: SmtpReceiver;
  let http: HttpReceiver;
  let both: TwoInstances;
  const channels: StatusChannels[] = [];
  let serviceId: string;

  const post = async (title: string) => {
    const incident = await both.a.incidents.declare(rita, { title, serviceId, priority: Priority.P2 });
    return both.a.statusUpdates.post(rita, incident.id, `${title}: we are investigating.`, Audience.PUBLIC);
  };
  const deliveries = async (statusUpdateId: string): Promise<Array<{ subscriber_id: string; status: string; attempts: number }>> =>
    both.first.query(`SELECT d.subscriber_id, d.status, d.attempts FROM status_delivery d JOIN status_event e ON e.id = d.event_id WHERE e.key = $1`, [`incident-update:${statusUpdateId}`]);

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    http = await startHttpReceiver();
    both = await openTwoInstances(clock, () => {
      const own = createStatusChannels({ email: { host: smtp.host, port: smtp.port, secure: false, from: 'status@example.com', timeoutMs: 5000, pooledConnections: 4 }, timeoutMs: 5000, allowPrivateUrls: true });
      channels.push(own);
      // A one-second lease, renewed every third of a second while a runner sends.
      return { statusChannels: own, statusDelivery: { batchSize: 25, leaseSeconds: 1, maxAttempts: 3 } };
    });
    serviceId = (await both.a.catalog.createService({ name: 'Checkout', slug: 'checkout', public: true })).id;
  });
  afterAll(async () => {
    for (const own of channels) own.close();
    await both.close();
    await http.close();
    await smtp.close();
  });
  beforeEach(async () => {
    clock.advance(3_600_000);
    await unsubscribeEveryone(both.first, clock.now());
    smtp.messages.splice(0);
    http.requests.splice(0);
  });

  it('decides one delivery per (event, subscriber) and sends each once, whichever runner gets there', async () => {
    await insertSubscribers(both.first, [
      ...Array.from({ length: EMAILS }, (_, i) => ({ channel: SubscriberChannel.EMAIL, address: `user${i}@example.com` })),
      ...Array.from({ length: WEBHOOKS }, (_, i) => ({ channel: SubscriberChannel.WEBHOOK, address: `${http.url}/hooks/${i}`, signingSecret: 'whsec_0123456789abcdef' })),
    ]);
    const update = await post('Checkout errors');
    await Promise.all([both.a.statusFanout.expand(), both.b.statusFanout.expand(), both.a.statusFanout.expand(), both.b.statusFanout.expand()]);
    // Expanded again from scratch (an instance that died before its commit, say): the unique key writes nothing twice.
    await both.first.query(`UPDATE status_event SET expanded_at = NULL`);
    await Promise.all([both.a.statusFanout.expand(), both.b.statusFanout.expand()]);
    expect(await deliveries(update.id)).toHaveLength(EMAILS + WEBHOOKS);

    const [byA, byB] = await Promise.all([both.a.statusDelivery.drain(), both.b.statusDelivery.drain()]);
    expect(byA + byB).toBe(EMAILS + WEBHOOKS);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    const mails = countBy(smtp.messages.flatMap((mail) => mail.envelope.rcptTo));
    const hooks = countBy(http.requests.map((request) => request.path));
    expect(mails.size).toBe(EMAILS);
    expect(hooks.size).toBe(WEBHOOKS);
    expect([...mails.values(), ...hooks.values()].every((count) => count === 1)).toBe(true);
    expect(countBy((await deliveries(update.id)).map((delivery) => `${delivery.status}/${delivery.attempts}`))).toEqual(new Map([['SENT/1', EMAILS + WEBHOOKS]]));
  });

  it('keeps a live runner\'s claim while its message takes longer than the lease: the other runner takes nothing', async () => {
    const [id] = await insertSubscribers(both.first, [{ channel: SubscriberChannel.WEBHOOK, address: `${http.url}/hooks/slow`, signingSecret: 'whsec_0123456789abcdef' }]);
    const update = await post('Search slow');
    await both.a.statusFanout.expand();
    let answer!: () => void;
    http.respondWith({ status: 200, until: new Promise<void>((resolve) => (answer = resolve)) });
    const sending = both.a.statusDelivery.drain();
    await waitFor('the request', () => http.requests[0], 5_000);
    clock.advance(5_000);
    // Renewed past the moved clock by the live holder.
    await waitFor('the renewal', async () => ((await both.first.query(`SELECT 1 FROM status_delivery WHERE subscriber_id = $1 AND claimed_until > $2`, [id, clock.now()])).length ? true : undefined), 5_000);
    expect(await both.b.statusDelivery.drain()).toBe(0);
    answer();
    expect(await sending).toBe(1);
    expect(http.requests).toHaveLength(1);
    expect(await deliveries(update.id)).toEqual([{ subscriber_id: id, status: 'SENT', attempts: 1 }]);
  });

  it('gives a message up after its attempts, and at once when the receiver refuses it for good', async () => {
    const rows = async (statusUpdateId: string): Promise<Array<{ status: string; attempts: number; last_error: string }>> =>
      both.first.query(`SELECT d.status, d.attempts, d.last_error FROM status_delivery d JOIN status_event e ON e.id = d.event_id WHERE e.key = $1`, [`incident-update:${statusUpdateId}`]);
    await insertSubscribers(both.first, [{ channel: SubscriberChannel.WEBHOOK, address: `${http.url}/hooks/down`, signingSecret: 'whsec_0123456789abcdef' }]);
    const down = await post('Webhooks failing');
    await both.a.statusFanout.expand();
    http.respondWith({ status: 503, body: 'down' }, 3);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await both.a.statusDelivery.drain();
      clock.advance(60_000);
    }
    expect(http.requests.map((request) => request.path)).toEqual(['/hooks/down', '/hooks/down', '/hooks/down']);
    expect(await rows(down.id)).toEqual([{ status: 'FAILED', attempts: 3, last_error: expect.stringContaining('503') }]);

    await unsubscribeEveryone(both.first, clock.now());
    await insertSubscribers(both.first, [{ channel: SubscriberChannel.WEBHOOK, address: `${http.url}/hooks/gone`, signingSecret: 'whsec_0123456789abcdef' }]);
    const gone = await post('Webhooks refused');
    await both.a.statusFanout.expand();
    http.respondWith({ status: 410, body: 'gone' });
    await both.a.statusDelivery.drain();
    clock.advance(60_000);
    await both.a.statusDelivery.drain();
    expect(http.requests.filter((request) => request.path === '/hooks/gone')).toHaveLength(1);
    expect(await rows(gone.id)).toEqual([{ status: 'FAILED', attempts: 1, last_error: expect.stringContaining('410') }]);
  });

  it('cancels what was decided for someone who unsubscribed before it went out', async () => {
    const [left, stays] = await insertSubscribers(both.first, [
      { channel: SubscriberChannel.EMAIL, address: 'left@example.com' },
      { channel: SubscriberChannel.EMAIL, address: 'stays@example.com' },
    ]);
    const update = await post('Checkout slow');
    await both.a.statusFanout.expand();
    await both.first.query(`UPDATE status_subscriber SET unsubscribed_at = $2 WHERE id = $1`, [left, clock.now()]);
    await both.b.statusDelivery.drain();
    expect(smtp.messages.flatMap((mail) => mail.envelope.rcptTo)).toEqual(['stays@example.com']);
    expect((await deliveries(update.id)).sort((a, b) => a.status.localeCompare(b.status))).toEqual([
      { subscriber_id: left, status: 'CANCELLED', attempts: 0 },
      { subscriber_id: stays, status: 'SENT', attempts: 1 },
    ]);
  });

  it("takes over a dead runner's claim once its lease ran out, though it had pushed the subscriber's digest window ahead", async () => {
    const [id] = await insertSubscribers(both.first, [{ channel: SubscriberChannel.EMAIL, address: 'orphan@example.com' }]);
    const update = await post('Login errors');
    await both.a.statusFanout.expand();
    // What a runner that claimed and then died leaves behind: SENDING under a lease, the window pushed ahead.
    await both.first.query(`UPDATE status_delivery SET status = 'SENDING', attempts = 1, claimed_until = $2 WHERE subscriber_id = $1`, [id, clock.now()]);
    await both.first.query(`UPDATE status_subscriber SET next_message_at = $2 WHERE id = $1`, [id, new Date(clock.now().getTime() + 300_000)]);
    expect(await both.b.statusDelivery.drain()).toBe(0);
    clock.advance(11_000);
    expect(await both.b.statusDelivery.drain()).toBe(1);
    expect(smtp.messages.map((mail) => mail.envelope.rcptTo)).toEqual([['orphan@example.com']]);
    expect(await deliveries(update.id)).toEqual([{ subscriber_id: id, status: 'SENT', attempts: 2 }]);
  });
});
