export type BodyFormat = 'json' | 'form';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 415,
    readonly reason: 'unsupported_media_type' | 'malformed_body',
    message: string,
  ) {
    super(message);
  }
}

export function bodyFormat(contentType: string | undefined): BodyFormat {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  throw new BodyError(415, 'unsupported_media_type', `content type "${mediaType || '(none)'}" is not accepted; send application/json or application/x-www-form-urlencoded`);
}

/** Every value of every form field, as signed by vendors that sign form posts (Twilio). */
export function formFields(raw: Buffer): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) (fields[name] ??= []).push(value);
  return fields;
}

/**
 * JSON → any JSON value; a form → a flat record (a repeated field keeps its last value).
 * U+0000 and unpaired surrogates become U+FFFD: PostgreSQL text and jsonb cannot hold them, and a vendor's
 * retry would fail forever.
 */
export function parseBody(format: BodyFormat, raw: Buffer): unknown {
  return parseBodyText(format, raw.toString('utf8'));
}

export function parseBodyText(format: BodyFormat, text: string): unknown {
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // JSON.parse quotes the input: a binary body would be echoed back and could not be stored (U+0000).
      throw new BodyError(400, 'malformed_body', `body is not valid JSON: ${printable((error as Error).message)}`);
    }
    // Unescaped control characters are invalid JSON and UTF-8 cannot encode a lone surrogate, so both can
    // only arrive as \u escapes (a surrogate escape may also be half of a valid pair: storable() keeps those).
    return text.includes('\\u0000') || SURROGATE_ESCAPE.test(text) ? storable(parsed) : parsed;
  }
  if (/%(?![0-9a-f]{2})/i.test(text)) throw new BodyError(400, 'malformed_body', 'body is not valid form encoding');
  const fields = Object.fromEntries(new URLSearchParams(text));
  // Percent-encoded invalid UTF-8 already decodes to U+FFFD; a NUL may come encoded or raw.
  return text.includes('%00') || text.includes('\u0000') ? storable(fields) : fields;
}

/** Text safe to echo and store: printable ASCII, anything else as \xNN or \uNNNN, at most 200 characters. */
export function printable(text: string): string {
  const escaped = text.replace(/[^\x20-\x7e]/g, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return escaped.length > 200 ? `${escaped.slice(0, 200)}...` : escaped;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
// eslint-disable-next-line no-control-regex -- matching U+0000 is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\uFFFD');
  if (Array.isArray(value)) return value.map(storable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.replace(UNSTORABLE, '\uFFFD'), storable(inner)]));
  }
  return value;
}
