import type { Logger } from 'pino';
import type { IntegrationAuth } from '../services/integration.service';
import type { PageReplyService } from '../services/page-reply.service';
import type { IngestResult } from './alert-pipeline';
import type { IngestCoalescer } from './ingest-coalescer';
import { PayloadSchemaError, type Normalizer, type NormalizedAlert } from './normalized-alert';
import { NormalizationMemo } from './normalization-memo';
import { BodyError, bodyFormat, parseBodyText } from './parse-body';
import { NORMALIZERS } from './vendors';

export interface WebhookRequest {
  contentType: string | undefined;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The public URL the vendor called (signatures may cover it). */
  publicUrl: string;
  /** Replays skip checks that only the original delivery could pass (a vendor's signature). */
  replay?: boolean;
}

export type WebhookOutcome =
  | { status: 202; alerts: number; result: IngestResult; command?: { acknowledged: boolean; incidentId: string | null; message: string } }
  | { status: 400 | 403 | 415 | 422; reason: string; error: string; details: Record<string, unknown> };

/**
 * From a raw, authenticated delivery to committed alerts: content type, parsing, the vendor's own checks and
 * replies (its normalizer's hooks), normalizing, pipeline.
 */
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
      // Signatures, delivery ids and page replies need every request looked at; other vendors' bodies repeat.
      const text = request.body.toString('utf8');
      const memoKey = looksAtEveryRequest(normalizer) ? null : format === 'json' ? text : `form:${text}`;
      const remembered = memoKey === null ? undefined : this.memo.get(integration, memoKey);
      if (remembered) return this.ingest(integration, remembered);
      const body = parseBodyText(format, text);
      if (normalizer.verifyRequest && !request.replay) {
        const received = { headers: request.headers, body: request.body, contentType: format, publicUrl: request.publicUrl };
        const problem = normalizer.verifyRequest(received, integration.vendorCredential);
        if (problem !== null) return reject(403, 'bad_signature', problem);
      }
      const normalizerRequest = { headers: request.headers, body, contentType: format };
      deliveryId = normalizer.deliveryId?.(normalizerRequest);
      const reply = normalizer.pageReply?.(normalizerRequest);
      if (reply) {
        const command = await this.pageReplies.handle(reply, deliveryId === undefined ? null : { integrationId: integration.id, deliveryId });
        if (command.handled) {
          const { handled: _handled, duplicate, ...answer } = command;
          return { status: 202, alerts: 0, result: { alertIds: [], incidentIds: answer.incidentId ? [answer.incidentId] : [], ignored: 0, duplicate }, command: answer };
        }
      }
      alerts = normalizer.normalize(normalizerRequest);
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

/** Vendors whose requests are each checked, identified or answered cannot have a body's result reused. */
function looksAtEveryRequest(normalizer: Normalizer): boolean {
  return Boolean(normalizer.usesHeaders || normalizer.verifyRequest || normalizer.deliveryId || normalizer.pageReply);
}

function reject(status: 400 | 403 | 415 | 422, reason: string, error: string, details: Record<string, unknown> = {}): WebhookOutcome {
  return { status, reason, error, details };
}

function normalizerFor(integration: IntegrationAuth): Normalizer {
  const normalizer = NORMALIZERS[integration.vendor];
  return normalizer.forIntegration?.(integration.options) ?? normalizer;
}
