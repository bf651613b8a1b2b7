import { DeliveryError } from './channel';
import { RefusedAddressError, type Fetch } from './guarded-fetch';

/** Shared by the HTTP-based channels: one POST with a hard timeout, failures mapped to {@link DeliveryError}. */

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export async function postWithTimeout(
  provider: string,
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number; fetch?: Fetch },
): Promise<HttpResponse> {
  let response: Response;
  let text: string;
  const send: Fetch = init.fetch ?? ((target, request) => fetch(target, request));
  try {
    response = await send(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      // A redirected POST would silently become a GET elsewhere; treat it as an error instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    throw networkError(provider, err, init.timeoutMs);
  }
  return { status: response.status, headers: response.headers, text };
}

function networkError(provider: string, err: unknown, timeoutMs: number): DeliveryError {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new DeliveryError(`${provider}: no response within ${timeoutMs} ms`, true, undefined, { cause: err });
  }
  // The name resolved to this server's own network at connect time: as final as the URL check before it.
  if (e?.cause instanceof RefusedAddressError) return new DeliveryError(`refused to post: the URL ${e.cause.message}`, false, undefined, { cause: err });
  const detail = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
  return new DeliveryError(`${provider}: request failed (${detail})`, true, undefined, { cause: err });
}

/** 408, 429 and 5xx can succeed later; every other non-2xx (including 3xx) will not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Retry-After in delta-seconds or HTTP-date, as milliseconds; undefined when absent or unparseable. */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Fails (not retryable) unless `to` is an absolute http(s) URL. */
export function assertHttpUrl(provider: string, to: string): URL {
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new DeliveryError(`${provider}: "to" is not a URL`, false);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DeliveryError(`${provider}: "to" must be an http(s) URL, got ${url.protocol}`, false);
  }
  return url;
}

/** Short, single-line excerpt of a response body for error messages. */
export function excerpt(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
