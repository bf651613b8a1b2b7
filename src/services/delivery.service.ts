import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { DeliveryError, type Channel, type Channels } from '../notify';
import type { ChannelKind } from '../schema/enums';
import { SYSTEM_ACTOR } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { renewEvery, renewHeldClaims } from './lease-renewal';
import { appendTimeline } from './timeline.service';

interface ClaimedNotification {
  id: string;
  idempotency_key: string;
  incident_id: string | null;
  channel: ChannelKind;
  address: string;
  subject: string;
  body: string;
  data: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

export interface DeliveryOptions {
  /**
   * How long a claim holds unless renewed. The holder renews its claims every third of this while it is alive, so
   * a send may take any time, and a dead holder's messages may be taken over this long after its last renewal.
   */
  leaseSeconds: number;
  batchSize: number;
  /** Messages sent at once by one worker. */
  concurrency: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = { leaseSeconds: 10, batchSize: 50, concurrency: 10 };

const BASE_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 10 * 60_000;

export function backoffMs(attempts: number, retryAfterMs?: number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  return Math.max(exponential, retryAfterMs ?? 0);
}

/**
 * Delivers the outbox: claims due rows (PENDING, or SENDING whose lease expired) with
 * SKIP LOCKED, sends each through its channel with its idempotency key, then records SENT,
 * a retry with exponential backoff, or FAILED with the reason — each on the incident's timeline.
 * A claim is a lease renewed while its messages wait and send; a claim is identified by the attempt
 * number it set, so a holder whose message was taken over can neither renew nor record it.
 */
export class DeliveryService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly channels: Channels,
    private readonly log: Logger,
    private readonly options: DeliveryOptions = DEFAULT_DELIVERY_OPTIONS,
  ) {}

  /** One pass; returns how many messages it handled. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    if (!claimed.length) return 0;
    // Claims still ours (by id, with the attempt number that identifies the claim): waiting or being sent.
    const held = new Map(claimed.map((message) => [message.id, message.attempts]));
    const renewal = this.keepRenewing(held);
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const message = claimed[next++];
        await this.deliver(message, () => held.delete(message.id));
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.options.concurrency, claimed.length) }, worker));
    } finally {
      await renewal.stop();
    }
    return claimed.length;
  }

  /** Passes until nothing is due (bounded), for the wake-up after a commit. */
  async drain(maxPasses = 100): Promise<number> {
    let total = 0;
    for (let pass = 0; pass < maxPasses; pass += 1) {
      const handled = await this.runOnce();
      total += handled;
      if (handled < this.options.batchSize) break;
    }
    return total;
  }

  async backlog(): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*) FROM notification WHERE status IN ('PENDING','SENDING') AND next_attempt_at <= $1`, [this.clock.now()]);
    return Number(row.count);
  }

  /** Renews the held claims every third of the lease until stopped; one renewal at a time. */
  private keepRenewing(held: Map<string, number>): { stop(): Promise<void> } {
    return renewEvery((this.options.leaseSeconds * 1000) / 3, () => (held.size ? this.renew(held) : Promise.resolve()));
  }

  private async renew(held: Map<string, number>): Promise<void> {
    try {
      const lost = await renewHeldClaims(this.db, 'notification', held, this.leaseEnd());
      if (lost.length) this.log.warn({ notificationIds: lost }, 'delivery lease lost to another worker; the message may be sent twice');
    } catch (error) {
      this.log.warn({ err: error }, 'could not renew delivery leases');
    }
  }

  private leaseEnd(): Date {
    return new Date(this.clock.now().getTime() + this.options.leaseSeconds * 1000);
  }

  private async claim(): Promise<ClaimedNotification[]> {
    const now = this.clock.now();
    const [rows] = await this.db.query(
      `UPDATE notification n SET status = 'SENDING', attempts = n.attempts + 1, claimed_until = $2
        WHERE n.id IN (
          SELECT id FROM notification
           WHERE (status = 'PENDING' AND next_attempt_at <= $1) OR (status = 'SENDING' AND claimed_until < $1)
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING n.id, n.idempotency_key, n.incident_id, n.channel, n.address, n.subject, n.body, n.data, n.attempts, n.max_attempts`,
      [now, this.leaseEnd(), this.options.batchSize],
    );
    return rows;
  }

  /** Sends one message; `settled` is called once the send is over, before its outcome is recorded. */
  private async deliver(message: ClaimedNotification, settled: () => void): Promise<void> {
    const channel: Channel | undefined = this.channels[message.channel];
    try {
      if (!channel) throw new DeliveryError(`the ${message.channel} channel is not configured on this server`, false);
      const unsubscribeUrl = typeof message.data.unsubscribeUrl === 'string' ? message.data.unsubscribeUrl : undefined;
      const result = await channel.send({ idempotencyKey: message.idempotency_key, to: message.address, subject: message.subject, body: message.body, data: message.data, unsubscribeUrl });
      settled();
      await this.record(message, 'SENT', { providerMessageId: result.providerMessageId });
    } catch (error) {
      settled();
      const delivery = error instanceof DeliveryError ? error : new DeliveryError((error as Error).message, true);
      const retry = delivery.retryable && message.attempts < message.max_attempts;
      this.log.warn({ notificationId: message.id, channel: message.channel, attempt: message.attempts, retry, err: delivery.message }, 'delivery failed');
      await this.record(message, retry ? 'PENDING' : 'FAILED', { error: delivery.message, retryAfterMs: delivery.retryAfterMs });
    }
  }

  private async record(
    message: ClaimedNotification,
    status: 'SENT' | 'PENDING' | 'FAILED',
    outcome: { providerMessageId?: string | null; error?: string; retryAfterMs?: number },
  ): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      // Only the holder of the current claim (same attempt number) may record the outcome.
      const [updated] = await manager.query(
        `UPDATE notification SET status = $2, claimed_until = NULL, sent_at = CASE WHEN $2 = 'SENT' THEN $3::timestamptz END,
                provider_message_id = COALESCE($4, provider_message_id), last_error = $5, next_attempt_at = $6
          WHERE id = $1 AND status = 'SENDING' AND attempts = $7 RETURNING id`,
        [
          message.id,
          status,
          now,
          outcome.providerMessageId ?? null,
          outcome.error ?? null,
          status === 'PENDING' ? new Date(now.getTime() + backoffMs(message.attempts, outcome.retryAfterMs)) : now,
          message.attempts,
        ],
      );
      if (!updated.length || !message.incident_id || status === 'PENDING') return;
      await appendTimeline(manager, SYSTEM_ACTOR, {
        incidentId: message.incident_id,
        kind: status === 'SENT' ? 'NOTIFICATION_SENT' : 'NOTIFICATION_FAILED',
        at: now,
        message:
          status === 'SENT'
            ? `${message.channel} sent to ${message.address}`
            : `${message.channel} to ${message.address} failed after ${message.attempts} attempt(s): ${outcome.error}`,
        data: { notificationId: message.id, channel: message.channel, attempts: message.attempts },
      });
    });
  }
}
