import { z } from 'zod';
import { badInput } from '../shared/domain-error';
import { dedupPatternProblem } from '../shared/email-dedup-pattern';
import { Priority, type AlertSeverity } from './enums';

const priority = z.enum(['P1', 'P2', 'P3', 'P4']);

/** The fields of a SAP Alert Notification event that sapFieldMap may relocate (see the SAP normalizer). */
const SAP_FIELDS = ['subject', 'body', 'severity', 'eventType', 'category', 'resourceName', 'resourceType', 'resourceInstance', 'resourceTags', 'timestamp', 'tags', 'id'] as const;

/** How a status feed's body is read; `auto` tells from the body itself. */
export const STATUS_FEED_FORMATS = ['auto', 'statuspage-json', 'atom', 'rss'] as const;
export type StatusFeedFormat = (typeof STATUS_FEED_FORMATS)[number];
export const MIN_FEED_POLL_SECONDS = 60;
const MAX_FEED_POLL_SECONDS = 86_400;
export const DEFAULT_FEED_POLL_SECONDS = 300;

export const integrationOptionsSchema = z
  .object({
    /** Vendor-neutral severity → priority. */
    severityMap: z.object({ CRITICAL: priority, HIGH: priority, WARNING: priority, INFO: priority }).partial().strict().optional(),
    /** The vendor's own severity text (e.g. "Sev0", "FATAL") → priority; checked before severityMap. */
    vendorSeverityMap: z.record(z.string().max(100), priority).optional(),
    /** Resolve the incident when all its alerts have resolved. */
    autoResolve: z.boolean().optional(),
    /** Deliveries accepted per minute (a burst of as many passes at once); more are answered 429 with Retry-After. */
    rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
    /** For SAP-style payloads with other field names: dotted paths into the body. */
    sapFieldMap: z
      .object(Object.fromEntries(SAP_FIELDS.map((field) => [field, z.string().min(1).max(200)])) as Record<(typeof SAP_FIELDS)[number], z.ZodString>)
      .partial()
      .strict()
      .optional(),
    /**
     * E-mail integrations: a regular expression whose first capture group, matched against the subject (status prefix
     * removed), is the dedup key; unset or not matching: the subject without numbers, dates, times and ids.
     */
    emailDedupPattern: z
      .string()
      .min(1)
      .superRefine((pattern, context) => {
        const problem = dedupPatternProblem(pattern);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    /** STATUS_FEED integrations: the provider's feed this deployment polls (docs/status-feeds.md). */
    statusFeed: z
      .object({
        url: z.string().max(2048).url('must be an absolute http(s) URL'),
        format: z.enum(STATUS_FEED_FORMATS).optional(),
        pollIntervalSeconds: z.number().int().min(MIN_FEED_POLL_SECONDS, `must be at least ${MIN_FEED_POLL_SECONDS} seconds`).max(MAX_FEED_POLL_SECONDS).optional(),
        resolveWhenGone: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type IntegrationOptions = z.infer<typeof integrationOptionsSchema>;

export const DEFAULT_SEVERITY_MAP: Record<AlertSeverity, Priority> = {
  CRITICAL: Priority.P1,
  HIGH: Priority.P2,
  WARNING: Priority.P3,
  INFO: Priority.P4,
};

export function parseIntegrationOptions(value: unknown): IntegrationOptions {
  const parsed = integrationOptionsSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(['options', ...issue.path].join('.'), issue.message);
  }
  return parsed.data;
}

export function priorityFor(alert: { severity: AlertSeverity; vendorSeverity: string | null }, options: IntegrationOptions): Priority {
  const byVendor = alert.vendorSeverity ? options.vendorSeverityMap?.[alert.vendorSeverity] : undefined;
  return (byVendor ?? options.severityMap?.[alert.severity] ?? DEFAULT_SEVERITY_MAP[alert.severity]) as Priority;
}

/** The intake limit of an integration: its own, or the deployment's default (INGEST_RATE_LIMIT_PER_MINUTE). */
export function intakeLimitPerMinute(options: IntegrationOptions, defaultPerMinute: number): number {
  return options.rateLimitPerMinute ?? defaultPerMinute;
}

export function autoResolves(options: IntegrationOptions): boolean {
  return options.autoResolve ?? true;
}

/** P1 outranks P2: the smaller number is the higher priority. */
export function higherPriority(a: Priority, b: Priority): Priority {
  return a <= b ? a : b;
}
