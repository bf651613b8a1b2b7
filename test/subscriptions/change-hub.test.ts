import { ChangeHub } from '../../src/shared/change-hub';
import { ErrorCode } from '../../src/shared/domain-error';

interface Topics {
  ALERT: { alertId: string; occurrences: number };
}

async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const taken: T[] = [];
  for (let i = 0; i < count; i += 1) taken.push((await iterator.next()).value as T);
  return taken;
}

describe('ChangeHub', () => {
  it('hands each subscriber the changes its filter accepts, in publish order', async () => {
    const hub = new ChangeHub<Topics>(10);
    const odd = hub.subscribe('ALERT', { filter: (change) => change.occurrences % 2 === 1 });
    const all = hub.subscribe('ALERT');
    for (let n = 1; n <= 4; n += 1) hub.publish('ALERT', { alertId: `a${n}`, occurrences: n });
    expect((await take(odd, 2)).map((change) => change.alertId)).toEqual(['a1', 'a3']);
    expect((await take(all, 4)).map((change) => change.alertId)).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('merges waiting changes of one key into the newest, keeping the first one’s place', async () => {
    const hub = new ChangeHub<Topics>(10);
    const subscriber = hub.subscribe('ALERT', { key: (change) => change.alertId });
    hub.publish('ALERT', { alertId: 'a', occurrences: 1 });
    hub.publish('ALERT', { alertId: 'b', occurrences: 1 });
    hub.publish('ALERT', { alertId: 'a', occurrences: 2 });
    hub.publish('ALERT', { alertId: 'a', occurrences: 3 });
    expect(await take(subscriber, 2)).toEqual([
      { alertId: 'a', occurrences: 3 },
      { alertId: 'b', occurrences: 1 },
    ]);
    hub.publish('ALERT', { alertId: 'a', occurrences: 4 });
    expect(await take(subscriber, 1)).toEqual([{ alertId: 'a', occurrences: 4 }]);
  });

  it('ends a subscriber that falls more than maxPending distinct changes behind, and only that one', async () => {
    const hub = new ChangeHub<Topics>(3);
    const slow = hub.subscribe('ALERT', { key: (change) => change.alertId });
    const picky = hub.subscribe('ALERT', { filter: (change) => change.alertId === 'a9' });
    expect(() => {
      for (let n = 0; n < 10; n += 1) hub.publish('ALERT', { alertId: `a${n}`, occurrences: 1 });
    }).not.toThrow();
    await expect(slow.next()).rejects.toMatchObject({ code: ErrorCode.SUBSCRIPTION_OVERFLOW });
    expect(await slow.next()).toEqual({ done: true, value: undefined });
    expect(await take(picky, 1)).toEqual([{ alertId: 'a9', occurrences: 1 }]);
    expect(hub.size()).toBe(1);
  });

  it('wakes a waiting subscriber on publish and lets it go on return()', async () => {
    const hub = new ChangeHub<Topics>(3);
    const subscriber = hub.subscribe('ALERT');
    const waiting = subscriber.next();
    hub.publish('ALERT', { alertId: 'late', occurrences: 1 });
    expect(await waiting).toEqual({ done: false, value: { alertId: 'late', occurrences: 1 } });
    const parked = subscriber.next();
    await subscriber.return!();
    expect(await parked).toEqual({ done: true, value: undefined });
    expect(hub.size()).toBe(0);
    expect(() => hub.publish('ALERT', { alertId: 'after', occurrences: 1 })).not.toThrow();
  });
});
