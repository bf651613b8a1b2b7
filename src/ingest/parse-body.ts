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
 * U+0000 becomes U+FFFD: PostgreSQL text and jsonb cannot hold it, and a vendor's retry would fail forever.
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
      throw new BodyError(400, 'malformed_body', `body is not valid JSON: ${(error as Error).message}`);
    }
    // Unescaped control characters are invalid JSON, so a NUL can only arrive escaped.
    return text.includes('\\u0000') ? withoutNul(parsed) : parsed;
  }
  if (/%(?![0-9a-f]{2})/i.test(text)) throw new BodyError(400, 'malformed_body', 'body is not valid form encoding');
  const fields = Object.fromEntries(new URLSearchParams(text));
  return text.includes('%00') ? withoutNul(fields) : fields;
}

// eslint-disable-next-line no-control-regex -- matching U+0000 is the point
const NUL = /\u0000/g;

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(NUL, '\uFFFD');
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.replace(NUL, '\uFFFD'), withoutNul(inner)]));
  }
  return value;
}
