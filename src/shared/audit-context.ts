import { SYSTEM_ACTOR, type Actor } from './actor';

/**
 * Who makes a configuration change and under which request: what the audit entry of the change records.
 * Resolvers build it from the caller and the request id; services receive it with the command.
 */
export interface AuditContext {
  readonly actor: Actor;
  /** The HTTP X-Request-Id (ours or the caller's), or one per WebSocket operation; null outside a request. */
  readonly requestId: string | null;
}

/** Changes made outside a request (seeds, scripts, bootstrap) are the system's. */
export const SYSTEM_AUDIT: AuditContext = { actor: SYSTEM_ACTOR, requestId: null };
