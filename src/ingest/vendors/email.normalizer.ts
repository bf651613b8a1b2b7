/**
 * EMAIL: a mail received by the SMTP listener (smtp-listener.ts), as the JSON object it makes of it with mailparser:
 * `{ subject, from, text, messageId, date }`, the text already plain (an HTML-only mail's text converted from its HTML).
 *
 * - Summary: the subject. Description: the text, cut at DESCRIPTION_MAX_LENGTH. Source: the sender's address.
 * - Status: a subject starting with a resolving word (`RESOLVED:`, `[OK]`, `RECOVERY:`, `[RESOLVED:2]`…) resolves;
 *   any other is firing. That prefix (or a firing one: `[FIRING:1]`, `PROBLEM:`, `ALERT:`…) is not part of the key,
 *   so "RESOLVED: disk full on db-1" resolves the alert "[FIRING] disk full on db-1".
 * - Identity: the dedup key, hashed. The integration's `emailDedupPattern` when it matches (its first capture group),
 *   else the subject with UUIDs, hex ids, dates, times and numbers standing alone removed and white space collapsed,
 *   so "Disk 91% full on db-1 at 12:03" and "Disk 95% full on db-1 at 12:09" are one alert seen twice, while db-2 and
 *   10.0.0.2 stay apart from db-1 and 10.0.0.1.
 * - No severity in a mail: WARNING (the integration's severityMap gives it a priority).
 */
import type { IntegrationOptions } from '../../schema/integration-options';
import type { AlertStatus } from '../../shared/enums';
import { dedupKeyByPattern } from '../../shared/email-dedup-pattern';
import { SUMMARY_MAX_LENGTH, type NormalizedAlert, type Normalizer } from '../normalized-alert';
import { asRecord, buildAlert, oneLine, optString, parseIsoDate, stableHash, truncate, withoutNulls } from './normalizer-helpers';

const STATUS_WORDS = {
  RESOLVED: 'RESOLVED',
  OK: 'RESOLVED',
  RECOVERY: 'RESOLVED',
  RECOVERED: 'RESOLVED',
  FIRING: 'FIRING',
  ALERT: 'FIRING',
  PROBLEM: 'FIRING',
  TRIGGERED: 'FIRING',
} as const satisfies Record<string, AlertStatus>;

/** `[WORD]`, `[WORD:3]` or `WORD:` at the start of the subject. */
const STATUS_PREFIX = /^\s*(?:\[([A-Za-z]+)(?::\d+)?\]|([A-Za-z]+)\s*:)\s*/;

const NO_SUBJECT = '(no subject)';

/** What carries no identity in a subject, in the order removed (a UUID before the hex and numbers inside it). */
const VARYING_PARTS: readonly RegExp[] = [
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
  /\b0x[0-9a-f]+\b/gi,
  // A run of 6+ hex digits with a digit and a letter in it (commit hashes, request ids); plain words stay.
  /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi,
  // Written dates: "Tue, 3 Mar 2026", "March 3rd, 2026", "3 Mar".
  /\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?(?:\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{4})?|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{4})?)\b/gi,
  /\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?/gi,
  /(?<![\d.])\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?![.\d])/g,
  /\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?[AP]M)?(?:Z|[+-]\d{2}:?\d{2})?/gi,
  // A number standing alone: not one inside a name (db-1, web01, v2), nor an IPv4 address, which names a host.
  /(?<![\w.-])(?!\d{1,3}(?:\.\d{1,3}){3}(?![\w.]))\d+(?:[.,]\d+)*(?![\w-])/g,
];

interface SubjectParts {
  status: AlertStatus;
  /** The subject without its status prefix. */
  rest: string;
}

function splitStatus(subject: string): SubjectParts {
  const prefix = STATUS_PREFIX.exec(subject);
  const word = (prefix?.[1] ?? prefix?.[2])?.toUpperCase();
  if (!prefix || word === undefined || !Object.prototype.hasOwnProperty.call(STATUS_WORDS, word)) return { status: 'FIRING', rest: subject };
  return { status: STATUS_WORDS[word as keyof typeof STATUS_WORDS], rest: subject.slice(prefix[0].length) };
}

/** The default dedup key: the subject without the parts that vary between mails about the same thing. */
export function defaultDedupKey(subject: string): string {
  const stripped = VARYING_PARTS.reduce((text, part) => text.replace(part, ' '), subject).replace(/\s+/g, ' ').trim();
  return stripped || subject.trim();
}

function normalizeMail(rawBody: unknown, dedupPattern: RegExp | null): NormalizedAlert[] {
  const body = asRecord(rawBody, '$');
  // Cut first: every rule below runs on at most the summary's length.
  const subject = truncate(oneLine(optString(body, 'subject') ?? ''), SUMMARY_MAX_LENGTH) || NO_SUBJECT;
  const from = optString(body, 'from');
  const { status, rest } = splitStatus(subject);
  const dedupKey = (dedupPattern && dedupKeyByPattern(dedupPattern, rest)) ?? defaultDedupKey(rest);
  const fingerprint = stableHash('email', dedupKey);
  return [
    buildAlert({
      fingerprint,
      groupKey: fingerprint,
      status,
      severity: 'WARNING',
      summary: subject,
      description: optString(body, 'text'),
      source: from,
      startsAt: parseIsoDate(body.date, 'date'),
      details: withoutNulls({ dedupKey, from, messageId: optString(body, 'messageId') }),
    }),
  ];
}

export function createEmailNormalizer(dedupPattern: RegExp | null = null): Normalizer {
  return {
    vendor: 'EMAIL',
    accepts: ['json'],
    normalize: (request) => normalizeMail(request.body, dedupPattern),
    forIntegration: (options: IntegrationOptions) => (options.emailDedupPattern ? createEmailNormalizer(new RegExp(options.emailDedupPattern)) : undefined),
  };
}

export const emailNormalizer: Normalizer = createEmailNormalizer();
