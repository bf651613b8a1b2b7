import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { DeliveryError, type StatusChannels } from '../../notify';
import type { Clock } from '../../shared/clock';
import { SubscriberChannel } from '../../shared/enums';
import { backoffMs } from '../delivery.service';
import { renewEvery, renewHeldClaims } from '../lease-renewal';
import type { PublicLinkKeys } from '../public-link-keys';
import { composeMessages, type ClaimedDelivery, type ExpandedEvent, type Held, type OutgoingMessage } from './subscriber-outbox';

export interface StatusDeliveryOptions {
  /** Where the public pages and the unsubscribe links are. */
  publicBaseUrl: string;
  /** A subscriber's next message waits this long after the last one (0: never). */
  digestSeconds: number;
  /** A claim holds this long unless renewed (every third of it while the holder is alive). */
  leaseSeconds: number;
  /** Subscribers claimed at once. */
  batchSize: number;
  /** Messages in flight at once per pass (e-mails queue for the SMTP pool's connections). */
  concurrency: number;
  /** Passes under way at once in a drain, so one claims and records while another sends. */
  parallelPasses: number;
  /** Attempts of a message before it is given up. */
  maxAttempts: number;
}

export const DEFAULT_STATUS_DELIVERY_OPTIONS: Omit<StatusDeliveryOptions, 'publicBaseUrl'> = { digestSeconds: 300, leaseSeconds: 10, batchSize: 500, concurrency: 64, parallelPasses: 2, maxAttempts: 5 };

interface Outcome extends Held {
  status: 'SENT' | 'PENDING' | 'FAILED';
  error: string | null;
  nextAttemptAt: Date;
}

const EVENTS_REMEMBERED = 1000;

/**
 * Delivers the subscribers' outbox. A pass claims, with SKIP LOCKED, up to `batchSize` subscribers that have
 * something due and whose digest window is over (or whose claim's lease ran out), takes everything due for each,
 * pushes each one's next message a digest window ahead, sends one message per subscriber (per subject for webhooks),
 * and records every outcome in one statement: SENT, a retry with backoff (the subscriber's window shortened to it, so a
 * failure does not wait for the digest), or FAILED once the attempts are spent or the receiver refused for good.
 */
export class StatusDeliveryService {
  private readonly events = new Map<string, ExpandedEvent>();

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly keys: PublicLinkKeys,
    private readonly channels: StatusChannels | null,
    private readonly log: Logger,
    private readonly options: StatusDeliveryOptions,
  ) {}

  /** One pass; returns how many subscribers it claimed. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    if (!claimed.length) return 0;
    const held = new Map(claimed.map((delivery) => [delivery.id, delivery.attempts]));
    const lost = new Set<string>();
    const renewal = renewEvery((this.options.leaseSeconds * 1000) / 3, () => (held.size ? this.renew(held) : Promise.resolve()));
    try {
      const messages = composeMessages(claimed, await this.eventsOf(claimed), await this.links(claimed), this.clock.now());
      // A message sent is no longer renewed; one whose lease another worker took over is not ours to record.
      const outcomes = await this.sendAll(messages, (deliveries) => {
        for (const delivery of deliveries) if (held.get(delivery.id) !== delivery.attempts) lost.add(delivery.id);
        for (const delivery of deliveries) held.delete(delivery.id);
      });
      await this.record(outcomes.filter((outcome) => !lost.has(outcome.id)));
    } finally {
      await renewal.stop();
    }
    return new Set(claimed.map((delivery) => delivery.subscriberId)).size;
  }

  /**
   * Passes (`parallelPasses` at a time) until one claims fewer than a batch (bounded), for the wake-up after a commit;
   * first, what is still due to people who unsubscribed since it was decided is cancelled.
   */
  async drain(maxPasses = 1000): Promise<number> {
    await this.db.query(
      `UPDATE status_delivery d SET status = 'CANCELLED', claimed_until = NULL
         FROM status_subscriber s WHERE s.id = d.subscriber_id AND s.unsubscribed_at IS NOT NULL AND d.status IN ('PENDING','SENDING')`,
    );
    let total = 0;
    let passes = 0;
    const loop = async () => {
      while (passes < maxPasses) {
        passes += 1;
        const handled = await this.runOnce();
        total += handled;
        if (handled < this.options.batchSize) return;
      }
    };
    await Promise.all(Array.from({ length: this.options.parallelPasses }, loop));
    return total;
  }

  private async claim(): Promise<ClaimedDelivery[]> {
    const now = this.clock.now();
    return this.db.query(
      `WITH subscriber AS (
         SELECT s.id FROM status_subscriber s
          WHERE s.unsubscribed_at IS NULL
            AND s.id IN (SELECT d.subscriber_id FROM status_delivery d
                          WHERE d.status IN ('PENDING','SENDING') AND d.next_attempt_at <= $1 AND (d.status = 'PENDING' OR d.claimed_until < $1))
            AND (s.next_message_at IS NULL OR s.next_message_at <= $1
                 OR EXISTS (SELECT 1 FROM status_delivery x WHERE x.subscriber_id = s.id AND x.status = 'SENDING' AND x.claimed_until < $1))
          LIMIT $3 FOR UPDATE OF s SKIP LOCKED
       ), claimed AS (
         UPDATE status_delivery d SET status = 'SENDING', attempts = d.attempts + 1, claimed_until = $2
           FROM subscriber
          WHERE d.subscriber_id = subscriber.id
            AND ((d.status = 'PENDING' AND d.next_attempt_at <= $1) OR (d.status = 'SENDING' AND d.claimed_until < $1))
          RETURNING d.id, d.event_id, d.subscriber_id, d.attempts
       ), pushed AS (
         UPDATE status_subscriber s SET next_message_at = $4 WHERE s.id IN (SELECT subscriber_id FROM claimed)
       )
       SELECT c.id, c.attempts, c.event_id AS "eventId", c.subscriber_id AS "subscriberId", s.channel, s.address,
              s.signing_secret AS "signingSecret", s.page_id AS "pageId", p.slug AS "pageSlug", p.title AS "pageTitle"
         FROM claimed c JOIN status_subscriber s ON s.id = c.subscriber_id JOIN status_page p ON p.id = s.page_id`,
      [now, this.leaseEnd(), this.options.batchSize, new Date(now.getTime() + this.options.digestSeconds * 1000)],
    );
  }

  private leaseEnd(): Date {
    return new Date(this.clock.now().getTime() + this.options.leaseSeconds * 1000);
  }

  /** The claimed deliveries' events: read once (an expanded event does not change), a bounded number remembered. */
  private async eventsOf(claimed: ClaimedDelivery[]): Promise<Map<string, ExpandedEvent>> {
    const missing = [...new Set(claimed.map((delivery) => delivery.eventId))].filter((id) => !this.events.has(id));
    if (missing.length) {
      if (this.events.size + missing.length > EVENTS_REMEMBERED) this.events.clear();
      const rows: ExpandedEvent[] = await this.db.query(`SELECT id, subject, body, created_at AS "createdAt", payload FROM status_event WHERE id = ANY($1::uuid[])`, [missing]);
      for (const row of rows) this.events.set(row.id, row);
    }
    return this.events;
  }

  private async links(claimed: ClaimedDelivery[]) {
    const base = this.options.publicBaseUrl;
    const unsubscribe = new Map<string, string>();
    for (const delivery of claimed) {
      if (unsubscribe.has(delivery.subscriberId)) continue;
      const token = await this.keys.linkToken('unsubscribe', delivery.subscriberId);
      unsubscribe.set(delivery.subscriberId, `${base}/status/${delivery.pageSlug}/subscribers/unsubscribe?token=${encodeURIComponent(token)}`);
    }
    return { pageUrl: (slug: string) => `${base}/status/${slug}`, unsubscribeUrl: (subscriberId: string) => unsubscribe.get(subscriberId)! };
  }

  /** Sends with `concurrency` in flight; `settled` is told each message's deliveries as soon as its send is over. */
  private async sendAll(messages: OutgoingMessage[], settled: (deliveries: Held[]) => void): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < messages.length) {
        const message = messages[next++];
        const error = await this.send(message).then(
          () => null,
          (reason: unknown) => (reason instanceof DeliveryError ? reason : new DeliveryError((reason as Error).message, true)),
        );
        settled(message.deliveries);
        if (error) failures.push(`${message.channel}: ${error.message}`);
        outcomes.push(...message.deliveries.map((delivery) => this.outcome(delivery, error)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, messages.length) }, worker));
    if (failures.length) this.log.warn({ failed: failures.length, of: messages.length, first: failures[0] }, 'status messages failed');
    return outcomes;
  }

  private async send(message: OutgoingMessage): Promise<unknown> {
    if (message.channel === SubscriberChannel.WEBHOOK) {
      if (!this.channels) throw new DeliveryError('status webhooks are not configured on this server', false);
      return this.channels.webhook(message.to, { secret: message.secret, rawBody: message.rawBody, idempotencyKey: message.idempotencyKey, sentAt: this.clock.now() });
    }
    const channel = this.channels?.[message.channel];
    if (!channel) throw new DeliveryError(`the ${message.channel} channel is not configured on this server`, false);
    return channel.send({ idempotencyKey: message.idempotencyKey, to: message.to, subject: message.subject, body: message.body, unsubscribeUrl: message.unsubscribeUrl });
  }

  private outcome(delivery: Held, error: DeliveryError | null): Outcome {
    const now = this.clock.now();
    if (!error) return { ...delivery, status: 'SENT', error: null, nextAttemptAt: now };
    const retry = error.retryable && delivery.attempts < this.options.maxAttempts;
    return {
      ...delivery,
      status: retry ? 'PENDING' : 'FAILED',
      error: error.message.slice(0, 2000),
      nextAttemptAt: retry ? new Date(now.getTime() + backoffMs(delivery.attempts, error.retryAfterMs)) : now,
    };
  }

  /** Every outcome of a pass in one statement; only the holder of a claim (same attempt number) records it. */
  private async record(outcomes: Outcome[]): Promise<void> {
    if (!outcomes.length) return;
    await this.db.query(
      `WITH outcome AS (
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamptz[]) AS o(id, attempts, status, error, next_attempt_at)
       ), recorded AS (
         UPDATE status_delivery d SET status = o.status, claimed_until = NULL, last_error = o.error, next_attempt_at = o.next_attempt_at,
                sent_at = CASE WHEN o.status = 'SENT' THEN $6::timestamptz END
           FROM outcome o
          WHERE d.id = o.id AND d.status = 'SENDING' AND d.attempts = o.attempts
          RETURNING d.subscriber_id, o.status, o.next_attempt_at
       )
       UPDATE status_subscriber s SET next_message_at = r.retry_at
         FROM (SELECT subscriber_id, min(next_attempt_at) AS retry_at FROM recorded WHERE status = 'PENDING' GROUP BY subscriber_id) r
        WHERE s.id = r.subscriber_id AND (s.next_message_at IS NULL OR s.next_message_at > r.retry_at)`,
      [
        outcomes.map((outcome) => outcome.id),
        outcomes.map((outcome) => outcome.attempts),
        outcomes.map((outcome) => outcome.status),
        outcomes.map((outcome) => outcome.error),
        outcomes.map((outcome) => outcome.nextAttemptAt),
        this.clock.now(),
      ],
    );
  }

  private async renew(held: Map<string, number>): Promise<void> {
    try {
      const lost = await renewHeldClaims(this.db, 'status_delivery', held, this.leaseEnd());
      if (lost.length) this.log.warn({ deliveries: lost.length }, 'status delivery leases lost to another worker; their messages may be sent twice');
    } catch (error) {
      this.log.warn({ err: error }, 'could not renew status delivery leases');
    }
  }
}
