import { DomainError, ErrorCode } from './domain-error';

export interface SubscriberOptions<T> {
  /** Only changes this accepts are queued for the subscriber. */
  filter?: (change: T) => boolean;
  /**
   * Changes with the same key replace each other while they wait (subscribers re-read by id, so the newest
   * one says everything the older ones did); without a key every change is kept.
   */
  key?: (change: T) => string;
}

/** Ends a subscription whose client fell so far behind that waiting changes no longer fit in its queue. */
export function subscriberOverflow(maxPending: number): DomainError {
  return new DomainError(
    ErrorCode.SUBSCRIPTION_OVERFLOW,
    `this subscription fell more than ${maxPending} changes behind and was ended; re-query what it shows and subscribe again`,
  );
}

interface Subscriber<T> {
  options: SubscriberOptions<T>;
  push(change: T): void;
}

/**
 * Fans committed changes out to subscriptions, each with its own bounded queue. Publishing never waits
 * and never throws, whatever a subscriber does: a slow one first has its waiting changes coalesced by key,
 * and when more than `maxPending` distinct changes wait it is ended with SUBSCRIPTION_OVERFLOW (the client
 * re-queries) instead of holding memory or slowing anyone else.
 */
export class ChangeHub<Topics extends object> {
  private readonly subscribers = new Map<keyof Topics, Set<Subscriber<never>>>();

  constructor(private readonly maxPending: number) {}

  publish<K extends keyof Topics>(topic: K, change: Topics[K]): void {
    const subscribers = this.subscribers.get(topic) as Set<Subscriber<Topics[K]>> | undefined;
    if (!subscribers) return;
    for (const subscriber of subscribers) {
      if (!subscriber.options.filter || subscriber.options.filter(change)) subscriber.push(change);
    }
  }

  /** How many subscriptions are open (for /metrics and tests). */
  size(): number {
    let total = 0;
    for (const subscribers of this.subscribers.values()) total += subscribers.size;
    return total;
  }

  subscribe<K extends keyof Topics>(topic: K, options: SubscriberOptions<Topics[K]> = {}): AsyncIterableIterator<Topics[K]> {
    type T = Topics[K];
    const pending = new Map<string, T>();
    let sequence = 0;
    let failure: Error | null = null;
    let finished = false;
    let wake: (() => void) | null = null;

    const subscriber: Subscriber<T> = {
      options,
      push: (change) => {
        const key = options.key ? options.key(change) : String((sequence += 1));
        if (!pending.has(key) && pending.size >= this.maxPending) {
          failure = subscriberOverflow(this.maxPending);
          pending.clear();
          detach();
        } else {
          pending.set(key, change);
        }
        wake?.();
      },
    };
    let set = this.subscribers.get(topic);
    if (!set) this.subscribers.set(topic, (set = new Set()));
    set.add(subscriber as Subscriber<never>);

    const detach = () => {
      const current = this.subscribers.get(topic);
      current?.delete(subscriber as Subscriber<never>);
      if (current?.size === 0) this.subscribers.delete(topic);
    };
    const finish = (): IteratorResult<T> => {
      finished = true;
      pending.clear();
      detach();
      wake?.();
      return { done: true, value: undefined };
    };

    const iterator: AsyncIterableIterator<T> = {
      next: async () => {
        while (!finished) {
          const first = pending.entries().next();
          if (!first.done) {
            pending.delete(first.value[0]);
            return { done: false, value: first.value[1] };
          }
          if (failure) {
            finished = true;
            throw failure;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
        return { done: true, value: undefined };
      },
      return: async () => finish(),
      throw: async (error: unknown) => {
        finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
