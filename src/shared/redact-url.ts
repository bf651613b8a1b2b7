/**
 * Credentials that travel in URLs (`?key=<webhook secret>` for vendors that cannot set headers, and whatever
 * a client puts under `token`, `secret`, …) must never be written to logs or stored with a dead letter.
 */
const SECRET_PARAMETER = /(key|token|secret|password|passwd|signature|sig|auth|credentials?)$/i;

export const REDACTED = '[redacted]';

/** Whether a query parameter's value is a credential (matched on the end of its name: `key`, `api_key`, `access_token`…). */
export function isSecretParameter(name: string): boolean {
  return SECRET_PARAMETER.test(name);
}

/** The URL (absolute, or path and query) with the value of every secret query parameter replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const hash = url.indexOf('#', mark);
  const query = hash < 0 ? url.slice(mark + 1) : url.slice(mark + 1, hash);
  const redacted = query
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const name = equals < 0 ? part : part.slice(0, equals);
      return isSecretParameter(decodedName(name)) ? `${name}=${REDACTED}` : part;
    })
    .join('&');
  return `${url.slice(0, mark + 1)}${redacted}${hash < 0 ? '' : url.slice(hash)}`;
}

/** Free text that may quote a URL (Fastify's "Route GET:/x?token=… not found", error messages). */
export function redactUrlsInText(text: string): string {
  return text.includes('=') ? text.replace(SECRET_IN_TEXT, `$1${REDACTED}`) : text;
}

const SECRET_IN_TEXT = /([?&;][^=&\s#"'?]*?(?:key|token|secret|password|passwd|signature|sig|auth|credentials?)=)[^&\s#"']*/gi;

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
