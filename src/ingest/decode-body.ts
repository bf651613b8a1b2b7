import { promisify } from 'node:util';
import { gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
import { printable } from './parse-body';

const decoders = {
  gzip: promisify<Buffer, ZlibOptions, Buffer>(gunzip),
  deflate: promisify<Buffer, ZlibOptions, Buffer>(inflate),
  deflateRaw: promisify<Buffer, ZlibOptions, Buffer>(inflateRaw),
};

const ENCODINGS: Record<string, 'gzip' | 'deflate'> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate' };

export class BodyEncodingError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly reason: 'malformed_body' | 'body_too_large' | 'unsupported_content_encoding',
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * The body as sent before its Content-Encoding (gzip, x-gzip, deflate; several are undone last first).
 * Inflating stops as soon as the output passes `limitBytes`, so a small bomb costs no more than the limit.
 */
export async function decodeBody(raw: Buffer, contentEncoding: string | undefined, limitBytes: number): Promise<Buffer> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding && coding !== 'identity');
  if (!codings.length) return raw;
  const unknown = codings.find((coding) => !(coding in ENCODINGS));
  if (unknown !== undefined) {
    throw new BodyEncodingError(415, 'unsupported_content_encoding', `Content-Encoding "${printable(unknown)}" is not accepted; send the body as is, or with gzip or deflate`, {
      header: 'content-encoding',
      value: printable(contentEncoding ?? ''),
    });
  }
  let body = raw;
  for (const coding of codings.reverse()) body = await decodeOne(body, ENCODINGS[coding], limitBytes);
  return body;
}

async function decodeOne(body: Buffer, coding: 'gzip' | 'deflate', limitBytes: number): Promise<Buffer> {
  // "deflate" is meant to be zlib-wrapped (RFC 9110), but some senders send a raw deflate stream.
  const decoder = coding === 'gzip' ? decoders.gzip : hasZlibHeader(body) ? decoders.deflate : decoders.deflateRaw;
  try {
    return await decoder(body, { maxOutputLength: limitBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyEncodingError(413, 'body_too_large', `the decompressed body exceeds the limit of ${limitBytes} bytes`, { limitBytes, contentEncoding: coding });
    }
    throw new BodyEncodingError(400, 'malformed_body', `the body is not valid ${coding} data (${printable((error as Error).message)})`, { contentEncoding: coding });
  }
}

function hasZlibHeader(body: Buffer): boolean {
  return body.length >= 2 && (body[0] & 0x0f) === 8 && (body[0] * 256 + body[1]) % 31 === 0;
}
