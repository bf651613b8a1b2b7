import { randomUUID } from 'node:crypto';

/** What a caller's X-Request-Id may look like to be kept: short and printable, so it is safe in logs and headers. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's request id when it is a bounded, printable token; otherwise a fresh UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTED_REQUEST_ID.test(header) ? header : randomUUID();
}
