import { Client } from 'pg';
import type { Logger } from 'pino';
import type { Replay } from './change-log';
import { CHANGE_CHANNEL, type LoggedChange } from './changes';

export interface ChangeListenerOptions {
  /** Every committed change, once (a replayed one already heard is skipped). */
  onChange(change: LoggedChange): void;
  /** The changes after change N (src/db/change-log.ts changesAfter, on the pool). */
  replayAfter(seq: number): Promise<Replay>;
  /** The last change written so far, where a fresh listener starts. */
  latestChange(): Promise<number>;
  /** After a reconnect and its replay: `complete` false when some missed changes could not be replayed. */
  onResumed(complete: boolean): void;
  log: Logger;
  /** A connection that answers no query for this long is taken for dead (a silent network cut). */
  heartbeatMs?: number;
  /** Longest wait between reconnection attempts. */
  maxReconnectDelayMs?: number;
}

/** Changes heard are remembered this long, so a replay that overlaps them does not deliver them twice. */
const REMEMBER_HEARD_MS = 120_000;
const FIRST_RECONNECT_DELAY_MS = 100;

/**
 * Holds one LISTEN connection and hands every committed change to `onChange`. When the connection drops (or
 * stops answering its heartbeat), it reconnects within a second, replays from change_log what it missed
 * while it was away, and says whether that was all of it; `connected` is false meanwhile.
 */
export class ChangeListener {
  private client: Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
  /** The highest change number heard (or the latest one when listening began). */
  private lastSeq = 0;
  /**
   * Where the replay after a reconnect starts: lastSeq when the connection dropped. Fixed then, because changes
   * heard on the new connection before (or while) the replay runs raise lastSeq past the gap; kept until a replay
   * succeeds, so a failed one is tried again.
   */
  private replayFrom: number | null = null;
  private readonly heard = new Map<number, number>();
  private wasConnected = false;

  constructor(
    private readonly url: string,
    private readonly options: ChangeListenerOptions,
  ) {}

  get connected(): boolean {
    return this.client !== null;
  }

  /** Connects the first time; a failure here is the caller's (the server does not start without its database). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const every = this.options.heartbeatMs ?? 2000;
    // A connection attempt into a dead network would otherwise wait for the kernel's TCP timeout (minutes).
    const client = new Client({ connectionString: this.url, application_name: 'incident-bridge-listener', keepAlive: true, connectionTimeoutMillis: 2 * every });
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
      try {
        this.deliver(JSON.parse(message.payload) as LoggedChange);
      } catch (error) {
        this.options.log.error({ err: error }, 'could not handle change notification');
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (!this.wasConnected) this.lastSeq = await this.options.latestChange();
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.wasConnected = true;
    this.reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
    this.startHeartbeat(client);
    if (this.replayFrom !== null) await this.replayMissed(client, this.replayFrom);
  }

  /**
   * What was committed while the connection was down: replayed in order, then reported complete or not. A replay
   * that fails (the pool may still be reconnecting when this connection is back) says nothing about what was
   * missed: it is tried again on a new connection rather than reported incomplete, which would end every
   * subscription with RESYNC_REQUIRED.
   */
  private async replayMissed(client: Client, from: number): Promise<void> {
    let replay: Replay;
    try {
      replay = await this.options.replayAfter(from);
    } catch (error) {
      this.options.log.warn({ err: error }, 'change listener could not replay what it missed; trying again');
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped || this.client !== client) return;
    this.replayFrom = null;
    for (const change of replay.changes) this.deliver(change);
    const level = replay.complete ? 'info' : 'warn';
    this.options.log[level]({ from, replayed: replay.changes.length, complete: replay.complete }, 'change listener reconnected and replayed what it missed');
    this.options.onResumed(replay.complete);
  }

  private deliver(change: LoggedChange): void {
    if (change.seq !== undefined) {
      if (this.heard.has(change.seq)) return;
      this.heard.set(change.seq, Date.now());
      if (change.seq > this.lastSeq) this.lastSeq = change.seq;
      this.forgetOldHeard();
    }
    this.options.onChange(change);
  }

  private forgetOldHeard(): void {
    if (this.heard.size % 1000 !== 0) return;
    const horizon = Date.now() - REMEMBER_HEARD_MS;
    for (const [seq, at] of this.heard) {
      if (at >= horizon) break;
      this.heard.delete(seq);
    }
  }

  private startHeartbeat(client: Client): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    const every = this.options.heartbeatMs ?? 2000;
    this.heartbeatTimer = setInterval(() => {
      let answered = false;
      const deadline = setTimeout(() => {
        if (!answered) this.lost(client, new Error(`no answer to the heartbeat within ${every} ms`));
      }, every);
      client
        .query('SELECT 1')
        .then(() => (answered = true))
        .catch((error: Error) => this.lost(client, error))
        .finally(() => clearTimeout(deadline));
    }, every);
    this.heartbeatTimer.unref();
  }

  private lost(client: Client, error?: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    this.replayFrom ??= this.lastSeq;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.options.log.warn({ err: error }, 'change listener connection lost; reconnecting');
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch((error) => {
        this.options.log.warn({ err: error }, 'change listener reconnect failed');
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, this.options.maxReconnectDelayMs ?? 1000);
        this.scheduleReconnect();
      });
    }, this.reconnectDelayMs);
  }
}
