import type { Logger } from 'pino';
import type { IntegrationAuth } from '../services/integration.service';
import type { PageReplyService } from '../services/page-reply.service';
import type { IngestResult } from './alert-pipeline';
import type { IngestCoalescer } from './ingest-coalescer';
import { PayloadSchemaError, type Normalizer, type NormalizedAlert } from './normalized-alert';
import { NormalizationMemo } from './normalization-memo';
import { BodyError, bodyFormat, formFields, parseBodyText } from './parse-body';
import { verifyTwilioSignature, verifyTwilioSignatureWithBody } from './twilio-signature';
import { createSapAlertNotificationNormalizer, NORMALIZERS } from './vendors';

export interface WebhookRequest {
  contentType: string | undefined;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The public URL the vendor called (Twilio signs it). */
  publicUrl: string;
  /** Replays skip checks that only the original delivery could pass (Twilio's signature). */
  replay?: boolean;
}

export type WebhookOutcome =
  | { status: 202; alerts: number; result: IngestResult; command?: { acknowledged: boolean; incidentId: string | null; message: string } }
  | { status: 400 | 403 | 415 | 422; reason: string; error: string; details: Record<string, unknown> };

/** From a raw, authenticated delivery to committed alerts: content type, parsing, signature, normalizing, pipeline. */
export class WebhookProcessor {
  constructor(
    private readonly coalescer: IngestCoalescer,
    private readonly pageReplies: PageReplyService,
    private readonly log: Logger,
    private readonly memo = new NormalizationMemo(),
  ) {}

  async process(integration: IntegrationAuth, request: WebhookRequest): Promise<WebhookOutcome> {
    let alerts: NormalizedAlert[];
    let deliveryId: string | undefined;
    try {
      const format = bodyFormat(request.contentType);
      const normalizer = normalizerFor(integration);
      if (!normalizer.accepts.includes(format)) {
        return reject(415, 'unsupported_media_type', `${integration.vendor} webhooks are ${normalizer.accepts.join(' or ')}, not ${format}`);
      }
      // Twilio's signature and SMS commands need every request looked at; other vendors' bodies repeat.
      const text = request.body.toString('utf8');
      const memoKey = integration.vendor === 'TWILIO' || normalizer.usesHeaders ? null : format === 'json' ? text : `form:${text}`;
      const remembered = memoKey === null ? undefined : this.memo.get(integration, memoKey);
      if (remembered) return this.ingest(integration, remembered);
      const body = parseBodyText(format, text);
      if (integration.vendor === 'TWILIO' && !request.replay && !twilioSignatureValid(integration, request, format)) {
        return reject(403, 'bad_signature', 'X-Twilio-Signature does not match this request');
      }
      deliveryId = integration.vendor === 'TWILIO' && format === 'form' ? twilioDeliveryId(body) : undefined;
      if (integration.vendor === 'TWILIO' && format === 'form' && isInboundSms(body)) {
        const command = await this.pageReplies.handle({ from: body.From, text: body.Body }, deliveryId === undefined ? null : { integrationId: integration.id, deliveryId });
        if (command.handled) {
          const { handled: _handled, duplicate, ...reply } = command;
          return { status: 202, alerts: 0, result: { alertIds: [], incidentIds: reply.incidentId ? [reply.incidentId] : [], ignored: 0, duplicate }, command: reply };
        }
      }
      alerts = normalizer.normalize({ headers: request.headers, body, contentType: format });
      if (memoKey !== null) alerts = this.memo.remember(integration, memoKey, alerts);
    } catch (error) {
      if (error instanceof BodyError) return reject(error.status, error.reason, error.message);
      if (error instanceof PayloadSchemaError) return reject(422, 'schema_violation', error.message, { path: error.path, problem: error.problem });
      this.log.error({ err: error, vendor: integration.vendor }, 'normalizer failed on a payload');
      return reject(422, 'unprocessable', 'the payload could not be normalized');
    }
    return this.ingest(integration, alerts, deliveryId);
  }

  private async ingest(integration: IntegrationAuth, alerts: NormalizedAlert[], deliveryId?: string): Promise<WebhookOutcome> {
    if (!alerts.length) return { status: 202, alerts: 0, result: { alertIds: [], incidentIds: [], ignored: 0 } };
    const result = await this.coalescer.submit({
      target: { integrationId: integration.id, integrationName: integration.name, serviceId: integration.serviceId, options: integration.options },
      alerts,
      ...(deliveryId === undefined ? {} : { deliveryId }),
    });
    return { status: 202, alerts: result.duplicate ? 0 : alerts.length, result };
  }
}

function isInboundSms(body: unknown): body is Record<string, string> {
  const fields = body as Record<string, string>;
  return typeof fields.Body === 'string' && typeof fields.From === 'string' && fields.MessageStatus === undefined;
}

/**
 * Twilio retries a delivery it got no 2xx for, with the same MessageSid (SmsSid on older accounts). An inbound SMS
 * is one delivery per message; a message's status callbacks are one per status.
 */
function twilioDeliveryId(body: unknown): string | undefined {
  const fields = body as Record<string, unknown>;
  const sid = [fields.MessageSid, fields.SmsSid].find((value): value is string => typeof value === 'string' && value.length > 0 && value.length <= 64);
  if (sid === undefined) return undefined;
  return typeof fields.MessageStatus === 'string' ? `status:${sid}:${fields.MessageStatus.slice(0, 32)}` : `sms:${sid}`;
}

function reject(status: 400 | 403 | 415 | 422, reason: string, error: string, details: Record<string, unknown> = {}): WebhookOutcome {
  return { status, reason, error, details };
}

function normalizerFor(integration: IntegrationAuth): Normalizer {
  if (integration.vendor === 'SAP_ALERT_NOTIFICATION' && integration.options.sapFieldMap) {
    return createSapAlertNotificationNormalizer({ fieldMap: integration.options.sapFieldMap });
  }
  return NORMALIZERS[integration.vendor];
}

/**
 * Twilio signs its form posts (and JSON posts, through bodySHA256). Status-page notifications
 * (Atlassian Statuspage JSON, unsigned) are authenticated by the integration secret alone.
 */
function twilioSignatureValid(integration: IntegrationAuth, request: WebhookRequest, format: 'json' | 'form'): boolean {
  const token = integration.vendorCredential ?? '';
  const signature = request.headers['x-twilio-signature'];
  if (format === 'form') return verifyTwilioSignature(token, signature, request.publicUrl, formFields(request.body));
  if (!signature) return true;
  return verifyTwilioSignatureWithBody(token, signature, request.publicUrl, request.body);
}
