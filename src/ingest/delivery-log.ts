import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { IntegrationDeliveryChannel, IntegrationDeliveryOutcome } from '../schema/enums';
import type { DeliveryRecord, IntegrationDeliveryService } from '../services/integration-delivery.service';
import type { Clock } from '../shared/clock';
import { UNAUTHENTICATED_REASONS } from './webhook-auth';

export interface DeliveryLogOptions {
  /** Off: nothing is recorded (INTEGRATION_DELIVERY_LOG_ROWS=0). */
  enabled: boolean;
  /** Buffered rows are written at least this often. */
  flushIntervalMs: number;
  /** …or as soon as this many wait. */
  flushRows: number;
  /** Rows held while the database cannot take them; beyond it new ones are dropped (and counted). */
  maxBuffered: number;
  /** UNAUTHORIZED rows kept per integration and minute: anyone who knows an integration's id can send them. */
  unauthorizedPerMinute: number;
}

export const DEFAULT_DELIVERY_LOG_OPTIONS: DeliveryLogOptions = { enabled: true, flushIntervalMs: 1000, flushRows: 500, maxBuffered: 20_000, unauthorizedPerMinute: 30 };

/** What a route learns of a delivery while answering it; the answer's status code and latency come from the reply. */
export interface DeliveryNote {
  integrationId: string;
  /** The rejection's reason code (never the sender's text). */
  reason?: string;
  alerts?: number;
  duplicate?: boolean;
}

export interface DeliveryAnswer {
  channel: IntegrationDeliveryChannel;
  statusCode: number;
  latencyMs: number;
  requestId: string | null;
}

const MINUTE_MS = 60_000;

/**
 * The intake side of the integration delivery log: every way in notes what it knows of a delivery and reports its
 * answer; rows are buffered and written in one transaction per flush (every `flushIntervalMs`, or at once when
 * `flushRows` wait; one flush at a time), so a storm of deliveries costs no round trip per request. Rows that could not be written are kept for the next flush, up to
 * `maxBuffered`; what is still buffered when the process dies is lost: this is a diagnostic log, not the record.
 */
export class DeliveryLog {
  private readonly notes = new WeakMap<object, DeliveryNote>();
  private buffer: DeliveryRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private closed = false;
  private readonly unauthorized = new Map<string, { minute: number; count: number }>();
  /** Rows dropped because the buffer was full (the database could not take them for a while). */
  dropped = 0;

  constructor(
    private readonly sink: Pick<IntegrationDeliveryService, 'append'>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: DeliveryLogOptions = DEFAULT_DELIVERY_LOG_OPTIONS,
  ) {}

  /** Adds to what is known of a request's delivery (merged with earlier notes). */
  note(request: object, note: Partial<DeliveryNote>): void {
    const known = this.notes.get(request);
    if (known) Object.assign(known, note);
    else if (note.integrationId) this.notes.set(request, { ...note, integrationId: note.integrationId });
  }

  /** The request was answered: records it when it named an integration. */
  answered(request: object, answer: DeliveryAnswer): void {
    const note = this.notes.get(request);
    if (note) this.record(note, answer);
  }

  /** Records one delivery (SMTP reports each integration's outcome this way). */
  record(note: DeliveryNote, answer: DeliveryAnswer): void {
    if (!this.options.enabled) return;
    const outcome = outcomeOf(answer, note);
    if (outcome === IntegrationDeliveryOutcome.UNAUTHORIZED && !this.sampleUnauthorized(note.integrationId)) return;
    if (this.buffer.length >= this.options.maxBuffered) {
      this.dropped += 1;
      return;
    }
    const accepted = outcome === IntegrationDeliveryOutcome.ACCEPTED;
    this.buffer.push({
      integrationId: note.integrationId,
      receivedAt: new Date(this.clock.now().getTime() - Math.round(answer.latencyMs)),
      channel: answer.channel,
      outcome,
      statusCode: answer.statusCode,
      alertsAccepted: accepted ? (note.alerts ?? 0) : 0,
      latencyMs: answer.latencyMs,
      requestId: answer.requestId,
      error: errorOf(outcome, note, answer.statusCode),
    });
    if (this.buffer.length >= this.options.flushRows && !this.writing) void this.flush();
    else this.schedule();
  }

  /** Writes what is buffered, after any write under way; resolves once it is stored (or kept back after a failure). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (!this.buffer.length) return;
    const rows = this.buffer;
    this.buffer = [];
    this.writing = this.write(rows).finally(() => {
      this.writing = null;
      // What arrived meanwhile: at once if a batch is full again, else at the next tick.
      if (this.buffer.length >= this.options.flushRows && !this.closed) void this.flush();
      else if (this.buffer.length) this.schedule();
    });
    await this.writing;
  }

  /** Stops the timer and writes what is left (graceful shutdown, after intake stopped). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async write(rows: DeliveryRecord[]): Promise<void> {
    try {
      await this.sink.append(rows);
    } catch (error) {
      // Kept for the next flush, oldest first, so an outage's FAILED deliveries show once the database is back.
      const room = Math.max(0, this.options.maxBuffered - this.buffer.length);
      this.dropped += Math.max(0, rows.length - room);
      this.buffer = [...rows.slice(0, room), ...this.buffer];
      const { message, code } = error as Error & { code?: string };
      this.log.warn({ err: { message, code }, rows: rows.length, dropped: this.dropped }, 'could not write the integration delivery log; retrying');
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  private sampleUnauthorized(integrationId: string): boolean {
    const minute = Math.floor(this.clock.now().getTime() / MINUTE_MS);
    const seen = this.unauthorized.get(integrationId);
    if (!seen || seen.minute !== minute) {
      this.unauthorized.set(integrationId, { minute, count: 1 });
      return true;
    }
    seen.count += 1;
    return seen.count <= this.options.unauthorizedPerMinute;
  }
}

/** The outcome from the answer's code and the route's reason (Opsgenie answers a disabled integration 401, a rejection). */
export function outcomeOf(answer: Pick<DeliveryAnswer, 'channel' | 'statusCode'>, note: Pick<DeliveryNote, 'reason' | 'duplicate'>): IntegrationDeliveryOutcome {
  const code = answer.statusCode;
  if (answer.channel === IntegrationDeliveryChannel.EMAIL) {
    // SMTP: 250 taken, 450 over the intake limit, other 4xx try later (our side), 5xx refused for good.
    if (code === 250) return IntegrationDeliveryOutcome.ACCEPTED;
    if (code === 450) return IntegrationDeliveryOutcome.RATE_LIMITED;
    return code < 500 ? IntegrationDeliveryOutcome.FAILED : IntegrationDeliveryOutcome.REJECTED;
  }
  if (code >= 200 && code < 300) return note.duplicate ? IntegrationDeliveryOutcome.DUPLICATE : IntegrationDeliveryOutcome.ACCEPTED;
  if (code === 429) return IntegrationDeliveryOutcome.RATE_LIMITED;
  if (code >= 500) return IntegrationDeliveryOutcome.FAILED;
  if (note.reason !== undefined ? UNAUTHENTICATED_REASONS.has(note.reason) : code === 401) return IntegrationDeliveryOutcome.UNAUTHORIZED;
  return IntegrationDeliveryOutcome.REJECTED;
}

/** A reason code, never the sender's text: bodies and error messages quoting them may hold anything. */
function errorOf(outcome: IntegrationDeliveryOutcome, note: DeliveryNote, statusCode: number): string | null {
  if (outcome === IntegrationDeliveryOutcome.ACCEPTED || outcome === IntegrationDeliveryOutcome.DUPLICATE) return null;
  if (outcome === IntegrationDeliveryOutcome.FAILED) return 'unavailable';
  return note.reason ?? `status_${statusCode}`;
}

/** Records every POST a scope answers that named an integration, once its answer is sent (it adds nothing to the answer's latency). */
export function logDeliveriesOf(scope: FastifyInstance, deliveryLog: DeliveryLog, channel: IntegrationDeliveryChannel): void {
  scope.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'POST') return;
    // The id the sender was answered with: Opsgenie's routes answer with their own requestId.
    const answeredId = reply.getHeader('x-request-id');
    deliveryLog.answered(request, { channel, statusCode: reply.statusCode, latencyMs: reply.elapsedTime, requestId: typeof answeredId === 'string' ? answeredId : request.id });
  });
}
