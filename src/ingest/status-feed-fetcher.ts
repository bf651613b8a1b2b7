import { outboundFetch, RefusedAddressError, type Fetch } from '../notify/guarded-fetch';
import { outboundUrlProblem, type Resolve } from '../notify/url-guard';
import { redactUrl } from '../shared/redact-url';

/**
 * One conditional GET of a status feed, bounded in time and size, through the outbound URL guard at every hop (a
 * redirect to this server's own network is refused like a configured URL would be). Never throws: every way a feed
 * can fail is an answer the poller records.
 */

export interface FeedRequest {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
}

export type FeedResponse =
  | { kind: 'not-modified'; status: 304 }
  | { kind: 'body'; status: number; text: string; etag: string | null; lastModified: string | null }
  | { kind: 'failed'; status: number | null; error: string; retryAfterMs?: number };

export interface FeedFetcherOptions {
  /** For the whole request: redirects, headers and body. */
  timeoutMs: number;
  /** Of the decoded body. */
  maxBytes: number;
  /** Loopback and private addresses allowed (STATUS_FEED_ALLOW_PRIVATE_URLS). */
  allowPrivate: boolean;
  resolve?: Resolve;
}

export type FeedFetcher = (request: FeedRequest) => Promise<FeedResponse>;

const MAX_REDIRECTS = 3;
const ACCEPT = 'application/json, application/atom+xml, application/rss+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';

export function createFeedFetcher(options: FeedFetcherOptions): FeedFetcher {
  // Each hop's URL is checked, and its connection goes only to the addresses so checked (DNS rebinding).
  const send = outboundFetch(options.allowPrivate, options.resolve);
  return (request) => fetchFeed(request, options, send);
}

async function fetchFeed(request: FeedRequest, options: FeedFetcherOptions, send: Fetch): Promise<FeedResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': 'incident-bridge status-feed poller' };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  let url = request.url;
  try {
    for (let hop = 0; ; hop += 1) {
      const problem = await outboundUrlProblem(url, { allowPrivate: options.allowPrivate, resolve: options.resolve });
      if (problem) return { kind: 'failed', status: null, error: `refused ${hop ? 'the redirect to ' : ''}${redactUrl(url)}: ${problem}` };
      const response = await send(url, { headers, redirect: 'manual', signal });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) return { kind: 'failed', status: response.status, error: `more than ${MAX_REDIRECTS} redirects` };
        url = new URL(location, url).toString();
        continue;
      }
      return await answerOf(response, options, signal);
    }
  } catch (error) {
    return { kind: 'failed', status: null, error: networkError(error, options.timeoutMs) };
  }
}

async function answerOf(response: Response, options: FeedFetcherOptions, signal: AbortSignal): Promise<FeedResponse> {
  if (response.status === 304) {
    await response.body?.cancel();
    return { kind: 'not-modified', status: 304 };
  }
  if (response.status < 200 || response.status >= 300) {
    await response.body?.cancel();
    const gone = response.status === 404 || response.status === 410 ? ' (the feed is not there)' : '';
    return { kind: 'failed', status: response.status, error: `HTTP ${response.status}${gone}`, ...retryAfter(response) };
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel();
    return { kind: 'failed', status: response.status, error: `the feed is larger than ${options.maxBytes} bytes` };
  }
  const body = await readCapped(response, options.maxBytes, signal);
  if (body === null) return { kind: 'failed', status: response.status, error: `the feed is larger than ${options.maxBytes} bytes` };
  return { kind: 'body', status: response.status, text: decode(body, response.headers.get('content-type')), etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
}

/** The body (decompressed by fetch), or null once it passes `maxBytes`: reading stops there. */
async function readCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<Buffer | null> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    signal.throwIfAborted();
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

function decode(body: Buffer, contentType: string | null): string {
  const charset = /charset="?([\w-]+)"?/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function retryAfter(response: Response): { retryAfterMs?: number } {
  const value = response.headers.get('retry-after')?.trim();
  if (!value || (response.status !== 429 && response.status !== 503)) return {};
  if (/^\d+$/.test(value)) return { retryAfterMs: Number(value) * 1000 };
  const at = Date.parse(value);
  return Number.isNaN(at) ? {} : { retryAfterMs: Math.max(0, at - Date.now()) };
}

function networkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no complete answer within ${timeoutMs} ms`;
  if (e?.cause instanceof RefusedAddressError) return `refused to connect: ${e.cause.message}`;
  return `request failed (${e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error)})`;
}
