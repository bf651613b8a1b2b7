/** Codes every layer agrees on; the GraphQL layer maps them to `extensions.code`. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  /** A request would do more work than one may (found while running, where the cost estimate could not tell). */
  TOO_EXPENSIVE = 'TOO_EXPENSIVE',
  /** A subscription fell too far behind and was ended: the client re-queries and subscribes again. */
  SUBSCRIPTION_OVERFLOW = 'SUBSCRIPTION_OVERFLOW',
  /** Changes were missed that cannot be replayed: the client re-queries and subscribes again. */
  RESYNC_REQUIRED = 'RESYNC_REQUIRED',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, for BAD_USER_INPUT. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string) => new DomainError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, field);
export const notFound = (what: string, id: string | number) => new DomainError(ErrorCode.NOT_FOUND, `${what} ${id} not found`);
export const conflict = (message: string, field?: string) => new DomainError(ErrorCode.CONFLICT, message, field);
