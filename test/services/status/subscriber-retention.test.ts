import { ManualClock } from '../../../src/shared/clock';
import { startTestApp, type TestApp } from '../../support/test-app';

/**
 * The subscribe form is public, so subscriptions nobody confirms are forgotten: a day after the confirmation link
 * expired (STATUS_CONFIRM_HOURS, 168 by default) the row goes; confirmed and unsubscribed ones, and pending ones
 * still in time, stay.
 */
describe('unconfirmed status subscribers are pruned', () => {
  const clock = new ManualClock('2026-05-04T10:00:00Z');
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  const addresses = async (): Promise<string[]> =>
    (await t.app.db.query(`SELECT address FROM status_subscriber ORDER BY address`)).map((row: { address: string }) => row.address);

  it('deletes only pending subscriptions whose link expired a day or more ago', async () => {
    const subscribers = t.app.services.statusSubscribers;
    const keys = t.app.services.linkKeys;
    const idOf = async (address: string): Promise<string> => (await t.app.db.query(`SELECT id FROM status_subscriber WHERE address = $1`, [address]))[0].id;
    await subscribers.subscribe('main', { channel: 'EMAIL', address: 'never@example.com', componentIds: [] });
    await subscribers.subscribe('main', { channel: 'EMAIL', address: 'confirmed@example.com', componentIds: [] });
    await subscribers.confirm('main', await keys.linkToken('confirm', await idOf('confirmed@example.com'), new Date('2026-05-10T00:00:00Z')));
    await subscribers.subscribe('main', { channel: 'EMAIL', address: 'left@example.com', componentIds: [] });
    await subscribers.unsubscribe('main', await keys.linkToken('unsubscribe', await idOf('left@example.com')));
    clock.set(new Date('2026-05-11T09:00:00Z'));
    await subscribers.subscribe('main', { channel: 'EMAIL', address: 'recent@example.com', componentIds: [] });

    // never@'s link expired 2026-05-11T10:00: a day later it may go, not a minute before.
    clock.set(new Date('2026-05-12T09:59:00Z'));
    expect(await subscribers.pruneUnconfirmed()).toBe(0);
    clock.set(new Date('2026-05-12T10:01:00Z'));
    expect(await subscribers.pruneUnconfirmed()).toBe(1);
    expect(await addresses()).toEqual(['confirmed@example.com', 'left@example.com', 'recent@example.com']);
  });

  it('works through more pending rows than one batch', async () => {
    const subscribers = t.app.services.statusSubscribers;
    clock.set(new Date('2026-06-01T00:00:00Z'));
    for (let n = 0; n < 7; n += 1) await subscribers.subscribe('main', { channel: 'EMAIL', address: `bulk-${n}@example.com`, componentIds: [] });
    clock.set(new Date('2026-06-10T00:00:00Z'));
    expect(await subscribers.pruneUnconfirmed(3)).toBe(8);
    expect(await addresses()).toEqual(['confirmed@example.com', 'left@example.com']);
  });
});
