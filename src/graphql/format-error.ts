import { HeaderMap } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { postgresErrorCode } from '../db/error-code';
import { isDatabaseUnavailable } from '../db/unavailable';
import { DomainError, ErrorCode } from '../shared/domain-error';

/**
 * Codes GraphQL itself, Apollo, type-graphql, our operation limits and our authentication raise for requests;
 * they pass through as they are.
 */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_MANY_ALIASES',
  'TOO_MANY_AUTH_FAILURES',
  'OPERATION_TIMEOUT',
  'SERVICE_UNAVAILABLE',
]);

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/**
 * The database could not serve the operation (unreachable, too slow, no free connection): the client should
 * retry after `retryAfterSeconds`. Over HTTP it is a 503 with Retry-After.
 */
export function serviceUnavailable(message: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: SERVICE_UNAVAILABLE, http: { status: 503, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) } },
  });
}

function domainCode(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.BAD_USER_INPUT:
      return 'BAD_USER_INPUT';
    case ErrorCode.UNAUTHENTICATED:
      return 'UNAUTHENTICATED';
    case ErrorCode.FORBIDDEN:
      return 'FORBIDDEN';
    case ErrorCode.NOT_FOUND:
      return 'NOT_FOUND';
    case ErrorCode.CONFLICT:
      return 'CONFLICT';
    case ErrorCode.TOO_EXPENSIVE:
      return 'QUERY_TOO_COMPLEX';
    case ErrorCode.SUBSCRIPTION_OVERFLOW:
      return 'SUBSCRIPTION_OVERFLOW';
    case ErrorCode.RESYNC_REQUIRED:
      return 'RESYNC_REQUIRED';
  }
}

/** PostgreSQL's "character not in repertoire" and "untranslatable character": text or JSON carrying U+0000 or an invalid sequence. */
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);

/** Maps domain errors to `extensions.code`, passes client errors through, masks and logs everything else. */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (original instanceof DomainError) {
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: domainCode(original.code), ...(original.field ? { field: original.field } : {}) },
      };
    }
    if (isDatabaseUnavailable(original)) {
      const { message, code } = original as { message?: unknown; code?: unknown };
      log.warn({ path: formatted.path, reason: message, code }, 'GraphQL operation failed: the database is unavailable');
      return {
        message: 'the database is unavailable; retry the operation',
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: SERVICE_UNAVAILABLE },
      };
    }
    if (UNSTORABLE_TEXT_CODES.has(postgresErrorCode(original) ?? '')) {
      log.warn({ err: original, path: formatted.path }, 'refused text PostgreSQL cannot store');
      return {
        message: 'text contains a character that cannot be stored (such as U+0000)',
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: 'BAD_USER_INPUT' },
      };
    }
    // Apollo wraps validation-rule errors (e.g. QUERY_TOO_DEEP) as GRAPHQL_VALIDATION_FAILED; keep the rule's own code.
    const originalCode = original instanceof GraphQLError ? original.extensions?.code : undefined;
    const code = typeof originalCode === 'string' && CLIENT_CODES.has(originalCode) ? originalCode : formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    if (original instanceof GraphQLError && !original.originalError && !code) {
      return { ...formatted, extensions: { code: 'BAD_USER_INPUT' } };
    }
    log.error({ err: original, path: formatted.path }, 'unexpected GraphQL error');
    return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
