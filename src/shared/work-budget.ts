import { DomainError, ErrorCode } from './domain-error';

/**
 * Work one request may still do, in units its services count (e.g. pieces of resolved on-call timelines), and a
 * signal that stops it: once the request is answered or out of time, nothing new starts for it.
 */
export class WorkBudget {
  static unlimited(): WorkBudget {
    return new WorkBudget(Number.POSITIVE_INFINITY);
  }

  constructor(
    private remaining: number,
    private readonly signal?: AbortSignal,
  ) {}

  /** Throws (QUERY_TOO_COMPLEX) when `units` more would exceed the budget, or the signal's reason once aborted. */
  spend(units: number, what: string): void {
    this.signal?.throwIfAborted();
    if (units > this.remaining) {
      throw new DomainError(ErrorCode.TOO_EXPENSIVE, `${what} would exceed what one request may do; ask for fewer schedules or shorter ranges`);
    }
    this.remaining -= units;
  }
}

/** Lets other clients' requests in between pieces of one request's synchronous work. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
