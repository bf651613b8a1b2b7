import type { Clock } from './clock';

export interface RateLimit {
  /** Tokens added per minute, evenly (one every 60 / perMinute seconds). */
  perMinute: number;
  /** The most a key can save up: how large a burst passes at once. */
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets, one per key, held in this process's memory. Bounded: past `maxKeys` the key touched
 * longest ago is forgotten (a forgotten key starts again with a full bucket), so any number of distinct
 * keys costs at most `maxKeys` entries.
 */
export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes a token if the key has one; answers whether it had. */
  take(key: string, limit: RateLimit): boolean {
    const bucket = this.refilled(key, limit);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Takes a token if there is one, and never fails (for counting events that happen anyway, like failures). */
  spend(key: string, limit: RateLimit): void {
    const bucket = this.refilled(key, limit);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  /** Whole seconds until the key has a token again; 0 when it has one now. */
  secondsUntilToken(key: string, limit: RateLimit): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const tokens = Math.min(limit.burst, bucket.tokens + ((this.now() - bucket.updatedAt) * limit.perMinute) / 60_000);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 60) / limit.perMinute);
  }

  private refilled(key: string, limit: RateLimit): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key);
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.updatedAt) * limit.perMinute) / 60_000);
      bucket.updatedAt = now;
    } else {
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: limit.burst, updatedAt: now };
    }
    // Re-inserted, so the map's order is least recently touched first.
    this.buckets.set(key, bucket);
    return bucket;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
