/**
 * Twilio request signatures (X-Twilio-Signature), per https://www.twilio.com/docs/usage/webhooks/webhooks-security:
 * base64(HMAC-SHA1(authToken, fullUrl + for each POST param sorted by name: name + value)).
 * JSON bodies are signed over the URL only; the URL then carries `bodySHA256` = hex sha256 of the raw body.
 * Like Twilio's SDKs, a URL is accepted as given, without its port, or with the scheme's default port.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

export function computeTwilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    // A repeated parameter contributes each distinct value once, sorted (as Twilio's SDKs do).
    const values = typeof value === 'string' ? [value] : [...new Set(value)].sort();
    for (const item of values) data += name + item;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Hex sha256 of a raw request body, the value Twilio puts in `bodySHA256`. */
export const computeTwilioBodySha256 = (rawBody: string | Buffer): string =>
  createHash('sha256').update(rawBody).digest('hex');

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*@)?([^/?#:]*)(:\d+)?(.*)$/i;
const DEFAULT_PORTS: Record<string, string> = { 'https://': ':443', 'http://': ':80' };

/** The URL as given, without its port, and with the scheme's default port. */
function urlVariants(url: string): string[] {
  const match = AUTHORITY.exec(url);
  if (!match) return [url];
  const [, scheme, userinfo = '', host, port, rest] = match;
  const withoutPort = `${scheme}${userinfo}${host}${rest}`;
  const defaultPort = DEFAULT_PORTS[scheme.toLowerCase()];
  const withDefaultPort = port === undefined && defaultPort ? `${scheme}${userinfo}${host}${defaultPort}${rest}` : url;
  return [...new Set([url, withoutPort, withDefaultPort])];
}

export function verifyTwilioSignature(
  authToken: string,
  signatureHeader: string | undefined | null,
  url: string,
  params: TwilioParams = {},
): boolean {
  if (!signatureHeader || !authToken) return false;
  let valid = false;
  for (const candidate of urlVariants(url)) {
    // No early exit: every variant is compared.
    if (constantTimeEquals(computeTwilioSignature(authToken, candidate, params), signatureHeader)) valid = true;
  }
  return valid;
}

/**
 * A JSON-bodied request: the signature covers the URL (with its `bodySHA256` query parameter) and
 * no params, and `bodySHA256` must equal the sha256 of the raw body. A URL without it is rejected.
 */
export function verifyTwilioSignatureWithBody(
  authToken: string,
  signatureHeader: string | undefined | null,
  url: string,
  rawBody: string | Buffer,
): boolean {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).split('#')[0] : '';
  const bodyHash = new URLSearchParams(query).get('bodySHA256');
  if (!bodyHash) return false;
  const signatureOk = verifyTwilioSignature(authToken, signatureHeader, url, {});
  const bodyOk = constantTimeEquals(computeTwilioBodySha256(rawBody), bodyHash.toLowerCase());
  return signatureOk && bodyOk;
}
