import { Client } from 'pg';

/** What pg answers when a statement got no reply within `query_timeout`. */
const NO_REPLY = 'Query read timeout';

type Query = (this: Client, ...args: unknown[]) => unknown;

/**
 * The pool's pg client: a statement that got no reply within `query_timeout` closes its connection. The pool's
 * query_timeout is longer than PostgreSQL's statement_timeout, so a server that can be reached has answered by
 * then (if only with its cancellation): no reply means the connection is dead, as in a silent network
 * partition. pg would keep such a connection, and the pool would hand it out again, to hang the next request.
 */
export class GuardedClient extends Client {}

function closeIfSilent(client: Client, error: unknown): void {
  // end() marks the client ending at once (the pool then drops it when it comes back) and, with a statement
  // still unanswered, destroys the socket instead of waiting for the server.
  if ((error as Error | undefined)?.message === NO_REPLY) client.end().catch(() => undefined);
}

// On the prototype, as pg's own query (TypeScript cannot override its overloads as one method).
const query = Client.prototype.query as Query;
(GuardedClient.prototype as unknown as { query: Query }).query = function (this: Client, ...args: unknown[]) {
  // Both forms pg offers: a callback (pg-pool's own pool.query) and a promise (TypeORM's query runners).
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') {
    args[last] = (error: unknown, result: unknown) => {
      closeIfSilent(this, error);
      (callback as (error: unknown, result: unknown) => void)(error, result);
    };
    return query.apply(this, args);
  }
  const result = query.apply(this, args);
  if (result instanceof Promise) result.catch((error: unknown) => closeIfSilent(this, error));
  return result;
};
