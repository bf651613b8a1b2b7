import { z } from 'zod';
import type { ChannelsConfig, StatusChannelsConfig } from './notify';
import { calendarDateProblem, holidayRegionProblem, isValidZone, type BusinessCalendar } from './shared/business-days';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/**
 * Fastify's trustProxy: `true` (trust every X-Forwarded-For hop: only when nothing reaches the server but through the
 * proxy) or the proxies' addresses/CIDRs, comma-separated (`loopback`, `linklocal`, `uniquelocal` name ranges).
 */
const trustProxy = z
  .string()
  .regex(/^(true|false|[0-9a-zA-Z:./]+(\s*,\s*[0-9a-zA-Z:./]+)*)$/, 'must be true, false, or comma-separated proxy addresses/CIDRs')
  .transform((value): boolean | string[] => (value === 'true' || value === 'false' ? value === 'true' : value.split(',').map((address) => address.trim())));

/** `host:port` (`[::1]:2525` for IPv6); port 0 takes a free one. */
const listenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/, 'must be host:port, such as 0.0.0.0:2525 or [::]:2525')
  .transform((value) => {
    const colon = value.lastIndexOf(':');
    return { host: value.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(colon + 1)) };
  })
  .refine((address) => address.port <= 65535, 'the port must be at most 65535');

/** A comma-separated list, trimmed, empty entries dropped. */
const commaList = z.string().transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean));

const settings = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** Unset: ./.data (see resolveDataDir for root). */
  DATA_DIR: z.string().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  BOOTSTRAP_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().min(10).default(20000),
  GRAPHQL_INTROSPECTION: booleanFlag.default(true),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(5000),
  GRAPHQL_MAX_ALIASES_PER_FIELD: z.coerce.number().int().min(1).max(1000).default(20),
  GRAPHQL_MAX_TIMELINE_PIECES: z.coerce.number().int().min(100).max(10_000_000).default(20_000),
  WS_MAX_OPERATIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Unset: resolved alerts are kept for ever. */
  ALERT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  CHANGE_LOG_RETENTION_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(60),
  /** Changes one replay may bring (each up to 40 alerts): more means a resync, not a long replay. */
  CHANGE_REPLAY_MAX_ROWS: z.coerce.number().int().min(10).max(1_000_000).default(20_000),
  SUBSCRIPTION_MAX_PENDING: z.coerce.number().int().min(10).max(1_000_000).default(5000),
  GRAPHQL_OPERATION_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(10_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  CORS_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/*\s]+$/, 'must list exact origins such as https://status.example.com (scheme://host[:port], no path, no wildcard)')))
    .default([]),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  PUBLIC_BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+(\/.*[^/])?$/, 'must be an http(s) URL without a trailing slash')
    .optional(),
  JOBS_ENABLED: booleanFlag.default(true),
  ESCALATION_SCHEDULE: z.string().default('*/5 * * * * *'),
  DELIVERY_SCHEDULE: z.string().default('*/5 * * * * *'),
  HANDOFF_SCHEDULE: z.string().default('*/5 * * * * *'),
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  ALERT_REPAIR_SCHEDULE: z.string().default('*/5 * * * * *'),
  // communication cadence (#12)
  COMMUNICATION_SCHEDULE: z.string().default('*/15 * * * * *'),
  // post-incident review (#14)
  TASK_REMINDER_SCHEDULE: z.string().default('0 0 * * * *'),
  ALERT_REPAIR_AGE_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM_NUMBER: z.string().optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().optional(),
  TWILIO_API_BASE_URL: z.string().url().default('https://api.twilio.com'),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: booleanFlag.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('incident-bridge <incidents@localhost>'),
  WEBHOOK_SIGNING_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
  INGEST_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(4),
  INGEST_MAX_BATCH_ALERTS: z.coerce.number().int().min(1).max(10000).default(1000),
  INGEST_ALERTS_FOR_EXTRA_BATCH: z.coerce.number().int().min(1).max(10000).default(64),
  INGEST_REQUESTS_FOR_EXTRA_BATCH: z.coerce.number().int().min(1).max(10000).default(8),
  INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6000),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(100000).default(20),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
  TRUST_PROXY: trustProxy.default(false),
  DEAD_LETTER_ANONYMOUS_SAMPLE: z.coerce.number().int().min(0).max(10000).default(10),
  DEAD_LETTER_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  DEAD_LETTER_MAX_ROWS: z.coerce.number().int().min(1).default(100_000),
  DEAD_LETTER_RETENTION_SCHEDULE: z.string().default('0 */10 * * * *'),
  /** The integration delivery log (#16): deliveries kept per integration (0: no log), their age, how often buffered rows are written. */
  INTEGRATION_DELIVERY_LOG_ROWS: z.coerce.number().int().min(0).max(100_000).default(1000),
  INTEGRATION_DELIVERY_LOG_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  INTEGRATION_DELIVERY_LOG_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Whose holidays are not business days for maintenance notice (PT, DE-BY); unset: weekends and extra dates only. */
  MAINTENANCE_HOLIDAY_REGION: z
    .string()
    .superRefine((value, context) => {
      const problem = holidayRegionProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  MAINTENANCE_EXTRA_HOLIDAYS: commaList
    .superRefine((dates, context) => {
      for (const date of dates) {
        const problem = calendarDateProblem(date);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }
    })
    .default([]),
  MAINTENANCE_CALENDAR_ZONE: z.string().refine(isValidZone, 'must be an IANA time zone such as Europe/Lisbon').default('UTC'),
  /** Minutes before a window starts when its team is reminded. */
  MAINTENANCE_REMINDER_MINUTES: commaList
    .transform((entries) => entries.map(Number))
    .pipe(z.array(z.number().int().min(1).max(30 * 24 * 60)))
    .default([24 * 60, 60]),
  MAINTENANCE_SCHEDULE: z.string().default('*/5 * * * * *'),
  /** How long a public status page is read and rendered once and reused (also the max-age clients are given); changes drop it sooner. */
  STATUS_CACHE_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  // status page subscribers (#13)
  /** How long an e-mail subscriber's confirmation link is valid (double opt-in). */
  STATUS_CONFIRM_HOURS: z.coerce.number().int().min(1).max(30 * 24).default(168),
  /** Subscribe, confirm and unsubscribe requests per minute from one client address. */
  STATUS_SUBSCRIBE_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Let Slack and webhook subscribers use loopback, private and link-local addresses (an intranet deployment). */
  STATUS_SUBSCRIBER_ALLOW_PRIVATE_URLS: booleanFlag.default(false),
  /** node-cron tick of the status fan-out (also woken on commit): expansion, due and retried messages, component changes. */
  STATUS_FANOUT_SCHEDULE: z.string().default('*/5 * * * * *'),
  /** A subscriber's next message waits this long after the last one; what comes meanwhile goes as one digest. 0: no digest. */
  STATUS_DIGEST_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** SMTP connections the status fan-out keeps open (its own pool, beside the pages' transport). */
  STATUS_SMTP_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(8),
  /** Sender of subscriber e-mails; unset: SMTP_FROM. */
  STATUS_EMAIL_FROM: z.string().optional(),
  STATUS_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Attempts of one subscriber message before it is given up (FAILED). */
  STATUS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  // post-incident review (#14)
  /** Business days after the resolution day by whose end the RCA (or, for external-origin incidents, the approved IRF) is due, until an ADMIN sets it. */
  REVIEW_DUE_BUSINESS_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  /** The person an overdue review follow-up escalates to, until an ADMIN sets one; unset: the next step of the service's escalation policy. */
  REVIEW_REVIEWER_ID: z.string().uuid().optional(),
  /** node-cron tick of the review follow-up (the daily reminders and escalations). */
  REVIEW_FOLLOWUP_SCHEDULE: z.string().default('0 */5 * * * *'),
  /** The local hour (maintenance calendar zone) from which each day's review reminder goes. */
  REVIEW_REMINDER_HOUR: z.coerce.number().int().min(0).max(23).default(9),
  // inbound e-mail (#16)
  /** Where the SMTP listener for inbound e-mail listens; unset: no listener. */
  SMTP_INGEST_LISTEN: listenAddress.optional(),
  /** The domain of the addresses it accepts mail for (<integration secret>@<domain>); required with SMTP_INGEST_LISTEN. */
  SMTP_INGEST_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'must be a domain name such as alerts.example.com')
    .transform((domain) => domain.toLowerCase())
    .optional(),
  /** The largest message accepted (advertised as SIZE); larger ones are refused with 552. */
  SMTP_INGEST_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  SMTP_INGEST_MAX_RECIPIENTS: z.coerce.number().int().min(1).max(1000).default(10),
  SMTP_INGEST_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100_000).default(100),
  /** An SMTP connection silent this long is closed. */
  SMTP_INGEST_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  // provider status feeds (#16, docs/status-feeds.md)
  /** How often the poll job looks for STATUS_FEED integrations due (each feed keeps its own pollIntervalSeconds). */
  STATUS_FEED_SCHEDULE: z.string().default('*/15 * * * * *'),
  /** One poll, redirects and body included, is given up after this long. */
  STATUS_FEED_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** A feed body larger than this (decompressed) fails the poll. */
  STATUS_FEED_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(2 * 1024 * 1024),
  /** Feed URLs on loopback and private networks are allowed (an intranet provider; tests). */
  STATUS_FEED_ALLOW_PRIVATE_URLS: booleanFlag.default(false),
});

const schema = settings.superRefine((config, context) => {
  if (config.SMTP_INGEST_LISTEN && !config.SMTP_INGEST_DOMAIN) {
    context.addIssue({ code: 'custom', path: ['SMTP_INGEST_DOMAIN'], message: 'is required with SMTP_INGEST_LISTEN: mail is accepted for <integration secret>@<this domain>' });
  }
});

export type Config = z.infer<typeof schema>;

/** Every setting comes from here, validated once; no other file reads process.env. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** Channel settings for createChannels: a channel whose settings are absent is not available. */
export function channelsConfig(config: Config): ChannelsConfig {
  const timeoutMs = config.NOTIFY_TIMEOUT_MS;
  const smsConfigured = config.TWILIO_ACCOUNT_SID || config.TWILIO_AUTH_TOKEN || config.TWILIO_FROM_NUMBER || config.TWILIO_MESSAGING_SERVICE_SID;
  return {
    sms: smsConfigured
      ? {
          accountSid: config.TWILIO_ACCOUNT_SID ?? '',
          authToken: config.TWILIO_AUTH_TOKEN ?? '',
          fromNumber: config.TWILIO_FROM_NUMBER,
          messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
          baseUrl: config.TWILIO_API_BASE_URL,
          timeoutMs,
        }
      : undefined,
    email: config.SMTP_HOST
      ? { host: config.SMTP_HOST, port: config.SMTP_PORT, secure: config.SMTP_SECURE, user: config.SMTP_USER, password: config.SMTP_PASSWORD, from: config.SMTP_FROM, timeoutMs }
      : undefined,
    slack: { timeoutMs },
    webhook: config.WEBHOOK_SIGNING_SECRET ? { secret: config.WEBHOOK_SIGNING_SECRET, timeoutMs } : undefined,
  };
}

/** The status fan-out's own transports: a pooled SMTP one (when SMTP is configured), and timeouts for Slack and webhooks. */
export function statusChannelsConfig(config: Config): StatusChannelsConfig {
  return {
    email: config.SMTP_HOST
      ? {
          host: config.SMTP_HOST,
          port: config.SMTP_PORT,
          secure: config.SMTP_SECURE,
          user: config.SMTP_USER,
          password: config.SMTP_PASSWORD,
          from: config.STATUS_EMAIL_FROM ?? config.SMTP_FROM,
          timeoutMs: config.NOTIFY_TIMEOUT_MS,
          pooledConnections: config.STATUS_SMTP_CONNECTIONS,
        }
      : undefined,
    timeoutMs: config.STATUS_WEBHOOK_TIMEOUT_MS,
    allowPrivateUrls: config.STATUS_SUBSCRIBER_ALLOW_PRIVATE_URLS,
  };
}

export interface SmtpListenerSettings {
  host: string;
  port: number;
  /** Lower-cased. */
  domain: string;
  maxBytes: number;
  maxRecipients: number;
  maxConnections: number;
  socketTimeoutMs: number;
  /** How long closing waits for open connections before it ends them. */
  closeTimeoutMs: number;
}

/** The inbound e-mail listener's settings, or undefined when none is configured. */
export function smtpIngestConfig(config: Config): SmtpListenerSettings | undefined {
  if (!config.SMTP_INGEST_LISTEN || !config.SMTP_INGEST_DOMAIN) return undefined;
  return {
    ...config.SMTP_INGEST_LISTEN,
    domain: config.SMTP_INGEST_DOMAIN,
    maxBytes: config.SMTP_INGEST_MAX_BYTES,
    maxRecipients: config.SMTP_INGEST_MAX_RECIPIENTS,
    maxConnections: config.SMTP_INGEST_MAX_CONNECTIONS,
    socketTimeoutMs: config.SMTP_INGEST_SOCKET_TIMEOUT_MS,
    closeTimeoutMs: config.SHUTDOWN_GRACE_MS,
  };
}

/** The business-day calendar maintenance notice is counted in until an ADMIN sets one through the API. */
export function maintenanceCalendarConfig(config: Config): BusinessCalendar {
  return { region: config.MAINTENANCE_HOLIDAY_REGION ?? null, extraDates: config.MAINTENANCE_EXTRA_HOLIDAYS, zone: config.MAINTENANCE_CALENDAR_ZONE };
}

/** Where vendors reach this deployment (behind a proxy, set PUBLIC_BASE_URL). */
export function publicBaseUrl(config: Config): string {
  return config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
}
