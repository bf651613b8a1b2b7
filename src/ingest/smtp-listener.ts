import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { SmtpListenerSettings } from '../config';
import { isDatabaseUnavailable } from '../db/unavailable';
import { intakeLimitPerMinute } from '../schema/integration-options';
import type { DeadLetterService } from '../services/dead-letter.service';
import type { IntegrationAuth } from '../services/integration.service';
import type { AuthFailureLimiter } from '../shared/auth-failure-limiter';
import type { Clock } from '../shared/clock';
import { IntegrationDeliveryChannel, Vendor } from '../shared/enums';
import { RateLimiter } from '../shared/rate-limiter';
import type { DeliveryLog } from './delivery-log';
import type { MailRecipients, RecipientRefusal } from './mail-recipients';
import { readMail } from './received-mail';
import type { WebhookMetrics } from './webhook-metrics';
import type { WebhookProcessor } from './webhook-processor';

export interface SmtpListenerDeps {
  recipients: MailRecipients;
  processor: WebhookProcessor;
  deadLetters: DeadLetterService;
  /** The webhook gateway's counters: a mail is a delivery like a webhook, counted by vendor and outcome. */
  metrics: WebhookMetrics;
  /** The process's one count of failed authentications per client address: unknown recipients are failures. */
  authFailures: AuthFailureLimiter;
  clock: Clock;
  log: Logger;
  /** Mails per minute for integrations without their own `rateLimitPerMinute`. */
  defaultRateLimitPerMinute: number;
  /** Each integration's outcome of a mail is logged (channel EMAIL, the SMTP reply code). */
  deliveryLog: DeliveryLog;
}

/** An SMTP reply: smtp-server answers a callback's error with its responseCode and message. */
function reply(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

const REFUSALS: Record<RecipientRefusal, () => Error> = {
  wrong_domain: () => reply(550, '5.1.1 No such mailbox here'),
  unknown_integration: () => reply(550, '5.1.1 No such mailbox here'),
  integration_disabled: () => reply(550, '5.2.1 This mailbox is disabled'),
};

const TRY_LATER = () => reply(451, '4.3.0 Temporarily unable to accept mail; try again later');

interface Outcome {
  /** The sender should try again (the database or a dead letter could not be written). */
  temporary: boolean;
  /** Why a delivery was rejected for good, if one was. */
  rejected: string | null;
  /** The rejection's reason code, for the delivery log. */
  reason?: string;
  /** Alerts taken in. */
  alerts?: number;
}

/** The reply code each integration's own outcome of a mail stands for in its delivery log. */
const LOGGED_CODE = { accepted: 250, tryLater: 451, notAccepted: 554 } as const;

/**
 * Inbound e-mail: an SMTP server that takes mail for `<integration secret>@<domain>` into the same processor and
 * pipeline as webhooks. Recipients are settled at RCPT TO (unknown ones 550, over the integration's intake limit 450);
 * a message is answered 250 only once what it carried is committed, 451 when the database cannot take it now.
 * No AUTH (the secret in the address is the credential) and no STARTTLS; smtp-server's own logging is off, since it
 * would log the addresses and with them the secrets.
 */
export class SmtpListener {
  private readonly intake: RateLimiter;
  /** The integration each accepted recipient named, by smtp-server's address object of the transaction. */
  private readonly integrationOf = new WeakMap<SMTPServerAddress, IntegrationAuth>();
  private readonly server: SMTPServer;

  private constructor(
    private readonly settings: SmtpListenerSettings,
    private readonly deps: SmtpListenerDeps,
  ) {
    this.intake = new RateLimiter(deps.clock);
    this.server = new SMTPServer({
      name: settings.domain,
      banner: 'incident-bridge inbound alerts',
      size: settings.maxBytes,
      maxClients: settings.maxConnections,
      socketTimeout: settings.socketTimeoutMs,
      closeTimeout: settings.closeTimeoutMs,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onConnect: (session, callback) => callback(this.connectionRefusal(session)),
      onRcptTo: (address, session, callback) => {
        this.acceptRecipient(address, session).then(callback, (error: unknown) => {
          deps.metrics.refused('unknown', 'unavailable');
          callback(this.failed(error, 'looking up a recipient'));
        });
      },
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    // A client's broken connection is its own affair: logged, never thrown.
    this.server.on('error', (error: Error & { code?: string }) => deps.log.debug({ err: { message: error.message, code: error.code } }, 'smtp connection error'));
  }

  static async start(settings: SmtpListenerSettings, deps: SmtpListenerDeps): Promise<SmtpListener> {
    const listener = new SmtpListener(settings, deps);
    await new Promise<void>((resolve, reject) => {
      listener.server.server.once('error', reject);
      listener.server.listen(settings.port, settings.host, () => {
        listener.server.server.off('error', reject);
        resolve();
      });
    });
    const { address, port } = listener.address();
    deps.log.info({ address, port, domain: settings.domain }, 'smtp listener for inbound e-mail started');
    return listener;
  }

  address(): { address: string; port: number } {
    const { address, port } = this.server.server.address() as AddressInfo;
    return { address, port };
  }

  /** Stops accepting connections and waits for open ones up to the close timeout, then ends them. */
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private connectionRefusal(session: SMTPServerSession): Error | null {
    if (!this.deps.authFailures.isBlocked(session.remoteAddress)) return null;
    this.deps.metrics.refused('unknown', 'too_many_auth_failures');
    return reply(421, '4.7.0 Too many unknown recipients from this address; try again later');
  }

  /** Null when the recipient is accepted, else the reply refusing it. */
  private async acceptRecipient(address: SMTPServerAddress, session: SMTPServerSession): Promise<Error | null> {
    const { metrics, authFailures } = this.deps;
    if (session.envelope.rcptTo.length >= this.settings.maxRecipients) {
      metrics.refused(Vendor.EMAIL, 'too_many_recipients');
      return reply(452, `4.5.3 At most ${this.settings.maxRecipients} recipients per message`);
    }
    if (authFailures.isBlocked(session.remoteAddress)) {
      metrics.refused('unknown', 'too_many_auth_failures');
      return reply(450, '4.7.1 Too many unknown recipients from this address; try again later');
    }
    const found = await this.deps.recipients.lookup(address.address);
    if ('refused' in found) {
      if (found.refused !== 'integration_disabled') authFailures.recordFailure(session.remoteAddress);
      metrics.refused(found.refused === 'integration_disabled' ? Vendor.EMAIL : 'unknown', found.refused);
      if (found.integrationId) this.logDelivery(found.integrationId, session, 550, 0, { reason: found.refused });
      return REFUSALS[found.refused]();
    }
    const { integration } = found;
    const perMinute = intakeLimitPerMinute(integration.options, this.deps.defaultRateLimitPerMinute);
    const limit = { perMinute, burst: perMinute };
    if (!this.intake.take(integration.id, limit)) {
      metrics.refused(Vendor.EMAIL, 'rate_limited');
      this.logDelivery(integration.id, session, 450, 0, { reason: 'rate_limited' });
      return reply(450, `4.7.1 This mailbox accepts ${perMinute} messages per minute; try again in ${this.intake.secondsUntilToken(integration.id, limit)} s`);
    }
    this.integrationOf.set(address, integration);
    return null;
  }

  private receive(stream: SMTPServerDataStream, session: SMTPServerSession, answer: (error?: Error | null) => void): void {
    let answered = false;
    const callback = (error: Error | null) => {
      if (answered) return;
      answered = true;
      answer(error);
    };
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      // Past the limit the rest is read (SMTP has to) but not kept.
      if (!stream.sizeExceeded) chunks.push(chunk);
    });
    stream.once('error', (error) => callback(this.failed(error, 'reading a message')));
    stream.once('end', () => {
      const integrations = this.recipientsOf(session);
      if (stream.sizeExceeded) {
        for (const integration of integrations) {
          this.deps.metrics.refused(integration.vendor, 'message_too_large');
          this.logDelivery(integration.id, session, 552, 0, { reason: 'message_too_large' });
        }
        callback(reply(552, `5.3.4 Message exceeds the limit of ${this.settings.maxBytes} bytes`));
        return;
      }
      this.deliver(Buffer.concat(chunks), session, integrations).then(callback, (error: unknown) => callback(this.failed(error, 'delivering a message')));
    });
  }

  private recipientsOf(session: SMTPServerSession): IntegrationAuth[] {
    const byId = new Map<string, IntegrationAuth>();
    for (const address of session.envelope.rcptTo) {
      const integration = this.integrationOf.get(address);
      if (integration) byId.set(integration.id, integration);
    }
    return [...byId.values()];
  }

  /** The message into each named integration; an error only when every one of them took it. */
  private async deliver(raw: Buffer, session: SMTPServerSession, integrations: IntegrationAuth[]): Promise<Error | null> {
    const started = process.hrtime.bigint();
    let mail;
    try {
      mail = await readMail(raw, session.envelope.mailFrom ? session.envelope.mailFrom.address : null);
    } catch (error) {
      for (const integration of integrations) {
        this.deps.metrics.refused(integration.vendor, 'unparseable');
        this.logDelivery(integration.id, session, 554, msSince(started), { reason: 'unparseable' });
      }
      this.deps.log.warn({ err: { message: (error as Error).message } }, 'an inbound mail could not be parsed');
      return reply(554, '5.6.0 The message could not be parsed');
    }
    const body = Buffer.from(JSON.stringify(mail));
    const outcomes = await Promise.all(
      integrations.map(async (integration) => {
        const outcome = await this.deliverTo(integration, body, started);
        const code = outcome.temporary ? LOGGED_CODE.tryLater : outcome.rejected === null ? LOGGED_CODE.accepted : LOGGED_CODE.notAccepted;
        this.logDelivery(integration.id, session, code, msSince(started), { reason: outcome.reason, alerts: outcome.alerts });
        return outcome;
      }),
    );
    if (outcomes.some((outcome) => outcome.temporary)) return TRY_LATER();
    const rejected = outcomes.find((outcome) => outcome.rejected !== null);
    return rejected ? reply(554, `5.6.0 Not accepted: ${rejected.rejected}`) : null;
  }

  private async deliverTo(integration: IntegrationAuth, body: Buffer, started: bigint): Promise<Outcome> {
    const { metrics, log } = this.deps;
    let outcome;
    try {
      outcome = await this.deps.processor.process(integration, { contentType: 'application/json', headers: {}, body, publicUrl: '' });
    } catch (error) {
      this.failed(error, 'ingesting a message', integration.id);
      metrics.refused(integration.vendor, 'unavailable');
      return { temporary: true, rejected: null };
    }
    if (outcome.status === 202) {
      metrics.accepted(integration.vendor, outcome.alerts, Number(process.hrtime.bigint() - started) / 1e9);
      return { temporary: false, rejected: null, alerts: outcome.alerts };
    }
    metrics.refused(integration.vendor, outcome.reason);
    try {
      // The body is what the mail was read into: no recipient address, so no secret, is in it.
      const deadLetterId = await this.deps.deadLetters.record({
        integrationId: integration.id,
        vendor: integration.vendor,
        httpStatus: outcome.status,
        reason: outcome.reason,
        details: { error: outcome.error, ...outcome.details },
        contentType: 'application/json',
        headers: {},
        query: null,
        body,
        bodySize: body.length,
      });
      log.warn({ vendor: integration.vendor, integrationId: integration.id, reason: outcome.reason, error: outcome.error, deadLetterId }, 'inbound mail rejected');
      return { temporary: false, rejected: outcome.error, reason: outcome.reason };
    } catch (error) {
      metrics.deadLetterFailed();
      log.error({ err: error, integrationId: integration.id, reason: outcome.reason }, 'could not keep a dead letter; answering 451');
      return { temporary: true, rejected: null };
    }
  }

  private logDelivery(integrationId: string, session: SMTPServerSession, code: number, latencyMs: number, detail: { reason?: string; alerts?: number }): void {
    this.deps.deliveryLog.record({ integrationId, ...detail }, { channel: IntegrationDeliveryChannel.EMAIL, statusCode: code, latencyMs, requestId: session.id });
  }

  /** A fault the sender should retry past: logged (an outage as a warning, anything else as an error), answered 451. */
  private failed(error: unknown, during: string, integrationId?: string): Error {
    if (isDatabaseUnavailable(error)) {
      const { message, code } = error as Error & { code?: string };
      this.deps.log.warn({ err: { message, code }, integrationId }, `smtp answered 451 while ${during}: the database is unavailable`);
    } else {
      this.deps.log.error({ err: error, integrationId }, `smtp answered 451: ${during} failed`);
    }
    return TRY_LATER();
  }
}

function msSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}
