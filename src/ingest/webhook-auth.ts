import { timingSafeEqual } from 'node:crypto';
import { hashSecret } from '../shared/secrets';
import type { IntegrationAuth } from '../services/integration.service';
import { isSecretParameter } from '../shared/redact-url';

/**
 * The integration secret, from whichever place the vendor can put it:
 * `Authorization: Bearer <secret>`, Basic auth (the password; Alertmanager http_config, SAP), or `?key=<secret>`.
 */
export function presentedSecret(authorization: string | undefined, query: URLSearchParams): string | null {
  if (authorization) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (bearer) return bearer[1];
    const basic = /^Basic\s+(\S+)$/i.exec(authorization);
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 ? decoded.slice(colon + 1) : decoded;
    }
  }
  return query.get('key');
}

/** `compute` remembered for up to `max` keys; emptied when full, so random keys cannot grow it. */
function boundedMemo<T>(max: number, compute: (key: string) => T): (key: string) => T {
  const remembered = new Map<string, T>();
  return (key) => {
    let value = remembered.get(key);
    if (value === undefined) {
      if (remembered.size >= max) remembered.clear();
      value = compute(key);
      remembered.set(key, value);
    }
    return value;
  };
}

/** Stored hashes as bytes, once per hash string (timingSafeEqual compares bytes). */
const bytesOf = boundedMemo(4096, (hash) => Buffer.from(hash));

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(bytesOf(a), bytesOf(b));
}

/**
 * Hashes of recently presented secrets: a vendor sends the same secret with every delivery, and hashing it
 * each time was ~4 % of a request's CPU.
 */
export const hashOfPresented = boundedMemo(1024, hashSecret);

/** The current secret, or the previous one while its grace period lasts. */
export function secretMatches(integration: IntegrationAuth, secret: string | null, now: Date): boolean {
  if (!secret) return false;
  const presented = hashOfPresented(secret);
  if (sameHash(presented, integration.secretHash)) return true;
  return Boolean(
    integration.previousSecretHash &&
      integration.previousSecretExpiresAt &&
      integration.previousSecretExpiresAt.getTime() > now.getTime() &&
      sameHash(presented, integration.previousSecretHash),
  );
}

/** Rejections before the sender proved it holds the integration's secret (and signature). */
export const UNAUTHENTICATED_REASONS: ReadonlySet<string> = new Set(['unknown_integration', 'unauthorized', 'bad_signature']);

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'x-twilio-signature', 'proxy-authorization']);

/** Headers worth keeping with a dead letter: everything but credentials. */
export function headersWithoutSecrets(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADERS.has(name.toLowerCase())) continue;
    kept[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

const ANONYMOUS_HEADERS = ['user-agent', 'content-type', 'content-length'];
const ANONYMOUS_HEADER_LENGTH = 200;

/** What is kept of an unauthenticated request's headers: a few short ones that tell senders apart, never all of them. */
export function anonymousHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ANONYMOUS_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = (Array.isArray(value) ? value.join(', ') : value).slice(0, ANONYMOUS_HEADER_LENGTH);
  }
  return kept;
}

/** The query string without `key` (the secret some vendors must put in the URL) or any other credential-like parameter. */
export function queryWithoutSecret(query: URLSearchParams): string | null {
  const kept = new URLSearchParams();
  for (const [name, value] of query) if (!isSecretParameter(name)) kept.append(name, value);
  const text = kept.toString();
  return text || null;
}
