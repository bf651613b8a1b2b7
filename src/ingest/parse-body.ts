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

/** JSON → any JSON value; a form → a flat record (a repeated field keeps its last value). */
export function parseBody(format: BodyFormat, raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new BodyError(400, 'malformed_body', `body is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (/%(?![0-9a-f]{2})/i.test(text)) throw new BodyError(400, 'malformed_body', 'body is not valid form encoding');
  return Object.fromEntries(new URLSearchParams(text));
}
