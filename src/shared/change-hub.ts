import { DomainError, ErrorCode } from './domain-error';

export interface SubscriberOptions<T> {
  /** Only changes this accepts are queued for the subscriber. */
  filter?: (change: T) => boolean;
  /**
   * Changes with the same key replace each other while they wait (subscribers re-read by id, so the newest
   * one says everything the older ones did); without a key every change is kept.
   */
  key?: (change: T) => string;
  /** Resume: first the changes committed after this cursor (from the history), then live ones. */
  after?: string | null;
}

/** What the hub asks its history for when a subscriber resumes: the changes after the cursor, per topic. */
export type History<Topics> = (after: string) => Promise<{ complete: boolean; events: Array<{ [K in keyof Topics]: { topic: K; payload: Topics[K] } }[keyof Topics]> }>;

/** Ends a subscription whose client fell so far behind that waiting changes no longer fit in its queue. */
export function subscriberOverflow(maxPending: number): DomainError {
  return new DomainError(
    ErrorCode.SUBSCRIPTION_OVERFLOW,
    `this subscription fell more than ${maxPending} changes behind and was ended; re-query what it shows and subscribe again`,
  );
}

/** Ends a subscription for which changes were missed and cannot be replayed. */
export function resyncRequired(why: string): DomainError {
  return new DomainError(ErrorCode.RESYNC_REQUIRED, `${why}; re-query what this subscription shows and subscribe again (without a cursor)`);
}

/** A subscription's changes, in order; what already waits can also be taken at once, to be answered together. */
export interface ChangeStream<T> extends AsyncIterableIterator<T> {
  /** Up to `max` changes already waiting (none while the subscription's history is still being read). */
  takeWaiting(max: number): T[];
}

interface Subscriber<T> {
  options: SubscriberOptions<T>;
  push(change: T): void;
  fail(error: Error): void;
}

/**
 * Fans committed changes out to subscriptions, each with its own bounded queue. Publishing never waits
 * and never throws, whatever a subscriber does: a slow one first has its waiting changes coalesced by key,
 * and when more than `maxPending` distinct changes wait it is ended with SUBSCRIPTION_OVERFLOW (the client
 * re-queries) instead of holding memory or slowing anyone else. A subscriber may resume after a cursor; when
 * changes were lost for good, every subscription is ended with RESYNC_REQUIRED rather than left with a gap.
 */
export class ChangeHub<Topics extends object> {
  private readonly subscribers = new Map<keyof Topics, Set<Subscriber<never>>>();

  constructor(
    private readonly maxPending: number,
    private readonly history?: History<Topics>,
  ) {}

  publish<K extends keyof Topics>(topic: K, change: Topics[K]): void {
    const subscribers = this.subscribers.get(topic) as Set<Subscriber<Topics[K]>> | undefined;
    if (!subscribers) return;
    for (const subscriber of subscribers) {
      if (!subscriber.options.filter || subscriber.options.filter(change)) subscriber.push(change);
    }
  }

  /** Ends every subscription with RESYNC_REQUIRED: changes were missed that nobody can replay. */
  resyncAll(why: string): void {
    for (const subscribers of this.subscribers.values()) for (const subscriber of [...subscribers]) subscriber.fail(resyncRequired(why));
  }

  /** How many subscriptions are open (for /metrics and tests). */
  size(): number {
    let total = 0;
    for (const subscribers of this.subscribers.values()) total += subscribers.size;
    return total;
  }

  subscribe<K extends keyof Topics>(topic: K, options: SubscriberOptions<Topics[K]> = {}): ChangeStream<Topics[K]> {
    type T = Topics[K];
    let pending = new Map<string, T>();
    let sequence = 0;
    let failure: Error | null = null;
    let finished = false;
    let wake: (() => void) | null = null;
    const keyOf = (change: T) => (options.key ? options.key(change) : String((sequence += 1)));

    const detach = () => {
      const current = this.subscribers.get(topic);
      current?.delete(subscriber as Subscriber<never>);
      if (current?.size === 0) this.subscribers.delete(topic);
    };
    const fail = (error: Error) => {
      failure ??= error;
      pending.clear();
      detach();
      wake?.();
    };
    const subscriber: Subscriber<T> = {
      options,
      push: (change) => {
        const key = keyOf(change);
        if (!pending.has(key) && pending.size >= this.maxPending) fail(subscriberOverflow(this.maxPending));
        else pending.set(key, change);
        wake?.();
      },
      fail,
    };
    let set = this.subscribers.get(topic);
    if (!set) this.subscribers.set(topic, (set = new Set()));
    set.add(subscriber as Subscriber<never>);

    // Live changes queue up from now on; the history goes in front of them once it has been read.
    let resuming: Promise<void> | null = null;
    if (options.after) {
      const after = options.after;
      resuming = (async () => {
        if (!this.history) return fail(resyncRequired('this server keeps no history to resume from'));
        const { complete, events } = await this.history(after);
        if (!complete) return fail(resyncRequired(`the changes after cursor ${after} are no longer all kept`));
        const replayed = new Map<string, T>();
        for (const event of events) {
          if (event.topic !== topic) continue;
          const change = event.payload as unknown as T;
          if (options.filter && !options.filter(change)) continue;
          replayed.set(keyOf(change), change);
          if (replayed.size > this.maxPending) return fail(subscriberOverflow(this.maxPending));
        }
        for (const [key, change] of pending) replayed.set(key, change);
        pending = replayed;
      })().catch((error: Error) => fail(error));
    }

    const finish = (): IteratorResult<T> => {
      finished = true;
      pending.clear();
      detach();
      wake?.();
      return { done: true, value: undefined };
    };

    const iterator: ChangeStream<T> = {
      takeWaiting: (max) => {
        if (resuming || failure) return [];
        const taken: T[] = [];
        for (const [key, change] of pending) {
          if (taken.length >= max) break;
          pending.delete(key);
          taken.push(change);
        }
        return taken;
      },
      next: async () => {
        if (resuming) {
          await resuming;
          resuming = null;
        }
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
