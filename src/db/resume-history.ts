import type { DataSource } from 'typeorm';
import { readHistory, REPLAY_SLACK_SECONDS, type HistoryRead } from './change-log';
import { changeOfCursor, subscriptionEventsOf, type LoggedChange, type SubscriptionEvent } from './changes';

export interface ResumeHistoryOptions {
  /** At most this many changes after a cursor are replayed (CHANGE_REPLAY_MAX_ROWS); a window's tail is bounded by it too. */
  maxRows: number;
  /** Resumes asked within this long of the first one go into its read. */
  gatherMs?: number;
  /** A read keeps serving later resumes this long after it answered. */
  keepMs?: number;
}

interface Loaded {
  read: HistoryRead;
  /** The subscription events of each row of `read.rows`, made once for every subscriber served. */
  events: SubscriptionEvent[][];
  seqs: Set<number>;
  /** When each change in the read was written (its rows and the cursors' own changes). */
  written: Map<number, number>;
  /** Slack before this time (µs) is not in the read. */
  slackFrom: number;
}

interface Window {
  cursors: Set<number>;
  lowest: number | null;
  loaded: Promise<Loaded>;
  /** Changes heard since the window opened, with their place in the order heard. */
  tail: Array<{ ordinal: number; seq: number | undefined; events: SubscriptionEvent[] }>;
}

const GATHER_MS = 10;
const KEEP_MS = 10_000;

/**
 * The history of subscriptions that resume after a cursor (ChangeHub's History), read together. After a cut every
 * subscriber of an instance resumes at about the same time, and each read up to CHANGE_REPLAY_MAX_ROWS changes on
 * its own: a hundred of them read the same rows a hundred times (seconds of delivery delay, hundreds of MB).
 * Resumes asked within `gatherMs` of each other share one statement (readHistory, from the lowest cursor), and
 * the read keeps serving resumes from cursors it covers for `keepMs`, together with the changes heard since it
 * began (its tail): what committed after the read's snapshot was heard after it began. A resume only takes what
 * was heard before it attached to the hub; later changes reach its queue live. When a listener could not replay
 * everything it missed, the tail has a gap: `forget` drops the read (the subscriptions are resynced anyway).
 */
export class ResumeHistory {
  private current: Window | null = null;
  private heardCount = 0;

  constructor(
    private readonly db: DataSource,
    private readonly options: ResumeHistoryOptions,
  ) {}

  /** Every change this instance heard (from its listener, live or replayed), in that order, with its subscription events. */
  heard(change: LoggedChange, events: SubscriptionEvent[]): void {
    this.heardCount += 1;
    const window = this.current;
    if (!window) return;
    window.tail.push({ ordinal: this.heardCount, seq: change.seq, events });
    if (window.tail.length > this.options.maxRows) this.close(window);
  }

  /** Changes were lost to this instance: what the current read's tail holds is not all that followed it. */
  forget(): void {
    this.current = null;
  }

  /** Called right after the subscriber attached to the hub (synchronously): what it heard from then on is queued live. */
  readonly after = async (cursor: string): Promise<{ complete: boolean; events: SubscriptionEvent[] }> => {
    const attachedAt = this.heardCount;
    const seq = changeOfCursor(cursor);
    const joined = this.join(seq);
    const answer = this.answer(joined, await joined.loaded, seq, attachedAt);
    if (answer) return answer;
    // This read does not know the cursor's own change: one of its own (with the ones asked meanwhile).
    const own = this.join(seq, true);
    return this.answer(own, await own.loaded, seq, attachedAt) ?? { complete: false, events: [] };
  };

  /**
   * The window whose read serves `seq`: one still gathering takes any cursor (its statement runs after this
   * subscriber attached); one already read serves cursors from its lowest up (`fresh`: not this time).
   */
  private join(seq: number, fresh = false): Window {
    const window = this.current;
    if (window && window.lowest === null) {
      window.cursors.add(seq);
      return window;
    }
    if (window && !fresh && seq >= window.lowest!) return window;
    return this.open(seq);
  }

  private open(seq: number): Window {
    if (this.current) this.close(this.current);
    const gathered = new Promise<void>((resolve) => setTimeout(resolve, this.options.gatherMs ?? GATHER_MS));
    const window: Window = { cursors: new Set([seq]), lowest: null, loaded: gathered.then(() => this.load(window)), tail: [] };
    // A failed read rejects the resumes waiting for it (they end with SERVICE_UNAVAILABLE); later ones read anew.
    window.loaded.catch(() => this.close(window));
    this.current = window;
    return window;
  }

  private async load(window: Window): Promise<Loaded> {
    const cursors = [...window.cursors];
    window.lowest = Math.min(...cursors);
    const read = await readHistory(this.db, cursors, this.options.maxRows);
    const written = new Map(read.marks);
    for (const row of read.rows) written.set(row.seq, row.writtenAtMicros);
    const marks = [...read.marks.values()];
    const keepMs = this.options.keepMs ?? KEEP_MS;
    const loaded: Loaded = {
      read,
      events: read.rows.map((row) => subscriptionEventsOf(row.change)),
      seqs: new Set(read.rows.map((row) => row.seq)),
      written,
      slackFrom: marks.length ? Math.min(...marks) - REPLAY_SLACK_SECONDS * 1_000_000 : Infinity,
    };
    setTimeout(() => this.close(window), keepMs).unref();
    return loaded;
  }

  /** The replay after `seq` from this window, or null when its read cannot tell (the cursor's change is not in it). */
  private answer(window: Window, loaded: Loaded, seq: number, attachedAt: number): { complete: boolean; events: SubscriptionEvent[] } | null {
    const { read } = loaded;
    const asked = window.cursors.has(seq);
    const written = seq === 0 ? (read.rows.length ? undefined : 0) : loaded.written.get(seq);
    if (written === undefined) return asked ? { complete: false, events: [] } : null;
    if (read.completeAbove !== null && seq < read.completeAbove) return { complete: false, events: [] };
    const since = written - REPLAY_SLACK_SECONDS * 1_000_000;
    if (seq !== 0 && since < loaded.slackFrom && !asked) return null;
    const events: SubscriptionEvent[] = [];
    read.rows.forEach((row, index) => {
      if (row.seq > seq || row.writtenAtMicros >= since) events.push(...loaded.events[index]);
    });
    for (const heard of window.tail) {
      // Heard after it attached: that one is in its queue already.
      if (heard.ordinal > attachedAt) break;
      if (heard.seq === undefined || !loaded.seqs.has(heard.seq)) events.push(...heard.events);
    }
    return { complete: true, events };
  }

  /** No later resume joins it, and its tail stops growing (those who joined have what they need of it). */
  private close(window: Window): void {
    if (this.current === window) this.current = null;
  }
}
