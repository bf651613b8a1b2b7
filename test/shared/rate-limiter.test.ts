import { clientKey } from '../../src/shared/auth-failure-limiter';
import { ManualClock } from '../../src/shared/clock';
import { RateLimiter } from '../../src/shared/rate-limiter';

describe('rate limiter', () => {
  const limit = { perMinute: 6, burst: 2 };

  it('lets a burst through, then one per refill interval, and says how long to wait', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock);
    expect([limiter.take('a', limit), limiter.take('a', limit), limiter.take('a', limit)]).toEqual([true, true, false]);
    expect(limiter.secondsUntilToken('a', limit)).toBe(10);
    clock.advance(9_000);
    expect(limiter.take('a', limit)).toBe(false);
    clock.advance(1_000);
    expect(limiter.take('a', limit)).toBe(true);
    expect(limiter.secondsUntilToken('b', limit)).toBe(0);
  });

  it('keeps at most maxKeys buckets, forgetting the one touched longest ago', () => {
    const one = { perMinute: 6, burst: 1 };
    const limiter = new RateLimiter(new ManualClock(), 3);
    const remembered = (keys: string[]) => keys.filter((key) => limiter.secondsUntilToken(key, one) > 0);
    for (const key of ['a', 'b', 'c']) limiter.spend(key, one);
    limiter.spend('a', one); // a is now the most recently touched
    limiter.spend('d', one);
    expect(remembered(['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd']);
    // Any number of keys: only the last three are remembered.
    for (let key = 0; key < 10_000; key += 1) limiter.spend(`k${key}`, one);
    expect(remembered(['a', 'c', 'd', 'k9996', 'k9997', 'k9998', 'k9999'])).toEqual(['k9997', 'k9998', 'k9999']);
  });
});

describe('client key', () => {
  it('groups IPv6 by /64 and unwraps IPv4-mapped addresses', () => {
    expect(clientKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:0:0:99')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
  });
});
