/**
 * Conditional GET for every public surface: a strong ETag (a hash of the body), Last-Modified (the page's latest
 * change), 304 Not Modified when the client already holds it, and a short public Cache-Control, so pollers and
 * proxies cost one header exchange instead of a page.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const DEFAULT_MAX_AGE_SECONDS = 10;

export interface Cacheable {
  body: string | Buffer;
  contentType: string;
  /** When what the body shows last changed (PublicPage.updatedAt). */
  lastModified: Date;
  /** Computed from the body when not given: pass it when the body is sent many times (PublicPageCache does). */
  etag?: string;
  /** How long clients and proxies may reuse it without asking; DEFAULT_MAX_AGE_SECONDS when not given. */
  maxAgeSeconds?: number;
}

export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** If-None-Match holds `*` or this tag (compared weakly, as RFC 9110 says for If-None-Match). */
function tagMatches(header: string, etag: string): boolean {
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}

/** HTTP dates have whole seconds: the resource is unmodified when its last change is not after the date given. */
function unmodifiedSince(header: string, lastModified: Date): boolean {
  const since = Date.parse(header);
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** Whether the client's copy is current: If-None-Match decides when present (If-Modified-Since is then ignored). */
export function isNotModified(headers: FastifyRequest['headers'], etag: string, lastModified: Date): boolean {
  const noneMatch = headers['if-none-match'];
  if (typeof noneMatch === 'string') return tagMatches(noneMatch, etag);
  const modifiedSince = headers['if-modified-since'];
  return typeof modifiedSince === 'string' && unmodifiedSince(modifiedSince, lastModified);
}

/** Answers a GET or HEAD with the body, or with 304 and no body when the client's copy is current. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, cacheable: Cacheable): FastifyReply {
  const etag = cacheable.etag ?? etagOf(cacheable.body);
  reply
    .header('etag', etag)
    .header('last-modified', cacheable.lastModified.toUTCString())
    .header('cache-control', `public, max-age=${cacheable.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS}`)
    .header('x-content-type-options', 'nosniff');
  if (isNotModified(request.headers, etag, cacheable.lastModified)) return reply.code(304).send();
  return reply.code(200).type(cacheable.contentType).send(cacheable.body);
}
