import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Role, roleAtLeast } from '../schema/enums';
import type { AuthenticatedToken } from '../services/api-token.service';

/** What an HTTP route outside GraphQL needs to check a bearer token the way the API does. */
export interface TokenGuardDeps {
  /** The API's bearer-token check (401/429 as GraphQL errors carrying their HTTP status). */
  authenticate: (authorization: unknown, from: string) => Promise<AuthenticatedToken>;
  clientAddress: (request: IncomingMessage) => string;
}

/**
 * The request's token when it holds `role` or more; otherwise the answer is sent (401, 429 with the failure
 * limiter's status, or 403 saying what the token may not do) and null is returned.
 */
export async function tokenWithRole(deps: TokenGuardDeps, request: FastifyRequest, reply: FastifyReply, role: Role, refusal: string): Promise<AuthenticatedToken | null> {
  let token: AuthenticatedToken;
  try {
    token = await deps.authenticate(request.headers.authorization, deps.clientAddress(request.raw));
  } catch (error) {
    const status = (error as { extensions?: { http?: { status?: number } } }).extensions?.http?.status ?? 401;
    await reply.code(status).send({ error: (error as Error).message });
    return null;
  }
  if (!roleAtLeast(token.actor.role ?? Role.VIEWER, role)) {
    await reply.code(403).send({ error: refusal });
    return null;
  }
  return token;
}
