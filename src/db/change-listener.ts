import { Client } from 'pg';
import type { Logger } from 'pino';
import { CHANGE_CHANNEL, type Change } from './changes';

/**
 * Holds one LISTEN connection and hands every committed change to `onChange`.
 * Reconnects with backoff if the connection drops, so subscriptions survive a database restart.
 */
export class ChangeListener {
  private client: Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly onChange: (change: Change) => void,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'incident-bridge-listener' });
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
      try {
        this.onChange(JSON.parse(message.payload) as Change);
      } catch (error) {
        this.log.error({ err: error }, 'could not handle change notification');
      }
    });
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'change listener connection failed; reconnecting');
      this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    this.client = client;
  }

  private scheduleReconnect(delayMs = 1000): void {
    if (this.stopped || this.retryTimer) return;
    this.client?.end().catch(() => undefined);
    this.client = null;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start().catch((error) => {
        this.log.warn({ err: error }, 'change listener reconnect failed');
        this.scheduleReconnect(Math.min(delayMs * 2, 30000));
      });
    }, delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.client?.end();
    this.client = null;
  }
}
