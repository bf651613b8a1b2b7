import { postgresErrorCode } from './error-code';

/**
 * SQLSTATEs of a server that cannot serve now: connection exceptions (class 08), an administrator's or a
 * crash's shutdown, "the database system is starting up / shutting down" (57P01–57P03), too many
 * connections (53300), and a statement cancelled by statement_timeout (57014).
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** Socket errors of a connection to the database that failed or broke. */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * What `pg` and pg-pool say when a connection cannot be had or was lost: "Connection terminated unexpectedly",
 * "Connection terminated due to connection timeout", "timeout exceeded when trying to connect" (no pooled
 * connection free within the connect timeout), "Client has encountered a connection error and is not queryable",
 * "Query read timeout" (no reply to a statement at all, see GuardedClient).
 */
const UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|timeout expired|Client has encountered a connection error|Query read timeout)/;

/**
 * Whether an error means the database could not be reached or could not serve in time (an outage, a failover,
 * an exhausted pool), rather than a fault of the statement: the caller should be told to retry (503).
 * Looks through TypeORM's and pg's wrappers (`driverError`, `cause`, an AggregateError's `errors`).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 5) return false;
  const code = postgresErrorCode(error);
  if (code !== undefined && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
  const { message, cause, errors, driverError } = error as { message?: unknown; cause?: unknown; errors?: unknown; driverError?: unknown };
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  if (driverError !== undefined && isDatabaseUnavailable(driverError, depth + 1)) return true;
  if (cause !== undefined && isDatabaseUnavailable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
