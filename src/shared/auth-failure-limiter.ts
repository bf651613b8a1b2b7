import { isIPv6 } from 'node:net';
import type { Clock } from './clock';
import { RateLimiter, type RateLimit } from './rate-limiter';

export interface AuthFailureLimit {
  /** Failures an address may have in a row… */
  failures: number;
  /** …and, once they are used up, how long it takes to earn them all back (one every windowSeconds / failures). */
  windowSeconds: number;
}

/**
 * Failed authentications per client address (token guessing on webhooks, /graphql and WebSocket connections).
 * An address that has used up its failures is refused before its credentials are even looked at, until it has
 * earned another attempt. In this process's memory (bounded); each instance counts on its own.
 * IPv6 addresses count per /64, the block one subscriber usually holds.
 */
export class AuthFailureLimiter {
  private readonly limit: RateLimit;
  private readonly limiter: RateLimiter;

  constructor(limit: AuthFailureLimit, clock: Clock, maxAddresses = 50_000) {
    this.limit = { perMinute: (limit.failures * 60) / limit.windowSeconds, burst: limit.failures };
    this.limiter = new RateLimiter(clock, maxAddresses);
  }

  isBlocked(address: string): boolean {
    return this.retryAfterSeconds(address) > 0;
  }

  /** Whole seconds until the address may try again; 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    return this.limiter.secondsUntilToken(clientKey(address), this.limit);
  }

  recordFailure(address: string): void {
    this.limiter.spend(clientKey(address), this.limit);
  }
}

/** IPv4 (also IPv4-mapped IPv6) as is; IPv6 by its /64 prefix. */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
