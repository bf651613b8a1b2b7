/**
 * The one alert model every vendor payload is normalized into.
 * Normalizers are pure: (request) → NormalizedAlert[]; they never touch the database.
 */
import type { IntegrationOptions } from '../schema/integration-options';
import type { PageReply } from '../services/page-reply.service';
import type { AlertSeverity, AlertStatus, Vendor } from '../shared/enums';

/** What an alert is about, for incidents opened from vendors that describe an outage (Statuspage). */
export type AlertKind = 'ALERT' | 'PROVIDER_INCIDENT' | 'DELIVERY_FAILURE' | 'INBOUND_SMS';

export interface NormalizedAlert {
  /** Identity within the integration: the vendor's own key when it has one, else a stable hash. */
  fingerprint: string;
  /** Alerts with the same group key (within an integration) attach to the same open incident. */
  groupKey: string;
  status: AlertStatus;
  /**
   * Set (true) by vendors whose events can acknowledge an alert (PagerDuty Events `acknowledge`): the alert's incident
   * is acknowledged, and the event is not another occurrence of the alert, which stays FIRING.
   */
  acknowledged?: boolean;
  severity: AlertSeverity;
  /** The vendor's own severity text, kept for display and for custom severity maps. */
  vendorSeverity: string | null;
  kind: AlertKind;
  /** One line, at most SUMMARY_MAX_LENGTH characters. */
  summary: string;
  /** Longer text, at most DESCRIPTION_MAX_LENGTH characters. */
  description: string | null;
  /** Where the alert came from (host, resource id, phone number…). */
  source: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Link back to the vendor (generatorURL, portal link…). */
  url: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  /** Facts worth keeping that fit no field above (truncatedAlerts, error codes…). */
  details: Record<string, unknown>;
}

export const SUMMARY_MAX_LENGTH = 512;
export const DESCRIPTION_MAX_LENGTH = 8192;

export interface NormalizerRequest {
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** Parsed body: JSON value, or a flat record for form-encoded bodies. */
  body: unknown;
  contentType: 'json' | 'form';
}

/** A delivery as received, for vendors that sign theirs. */
export interface ReceivedRequest {
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** The body as received (decoded from its content encoding). */
  body: Buffer;
  contentType: 'json' | 'form';
  /** The public URL the vendor called. */
  publicUrl: string;
}

/**
 * A vendor's webhook format. Beyond `normalize`, a vendor may declare hooks for what only it does (a signature, its
 * own delivery ids, replies to pages, options that reshape its payloads); the webhook processor calls whichever are
 * declared and never names a vendor.
 */
export interface Normalizer {
  readonly vendor: Vendor;
  /** Content types the vendor sends. */
  readonly accepts: ReadonlyArray<'json' | 'form'>;
  /**
   * Must be a pure function of the request (no clock, no randomness): results are remembered per body and
   * reused for the same body (see NormalizationMemo), unless `usesHeaders` says headers matter too.
   */
  normalize(request: NormalizerRequest): NormalizedAlert[];
  /** True when the result depends on headers as well as the body; such results are never reused. */
  readonly usesHeaders?: boolean;
  /**
   * Checks the vendor's own proof that it sent this request (a signature, with the integration's vendor credential):
   * null when it holds, else what is wrong, answered 403. Every request of such a vendor is looked at, none reused.
   * Replays skip it: only the original delivery could pass.
   */
  verifyRequest?(request: ReceivedRequest, vendorCredential: string | null): string | null;
  /** The vendor's id of this delivery, which its retries repeat: a retry of an id already taken in adds nothing. */
  deliveryId?(request: NormalizerRequest): string | undefined;
  /** A person's reply to a page (e.g. an SMS "ACK") rather than an alert, or null; a reply that is no command is normalized. */
  pageReply?(request: NormalizerRequest): PageReply | null;
  /** This normalizer as the integration's options configure it (e.g. a field map), or undefined when they do not. */
  forIntegration?(options: IntegrationOptions): Normalizer | undefined;
}

/** A body that parsed but does not fit the vendor's schema: answered 422 naming the field path. */
export class PayloadSchemaError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'PayloadSchemaError';
  }
}
