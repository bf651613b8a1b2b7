import { GraphQLError } from 'graphql';
import type { Services } from '../services';
import type { Actor } from '../shared/actor';

/** Reads `Bearer <secret>` (HTTP header or WebSocket connectionParams) and returns the actor it stands for. */
export async function authenticateBearer(services: Services, header: unknown): Promise<Actor> {
  const value = typeof header === 'string' ? header.trim() : '';
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  const actor = match ? await services.tokens.authenticate(match[1]) : null;
  if (!actor) {
    throw new GraphQLError(match ? 'the API token is unknown or revoked' : 'send an API token as "Authorization: Bearer <token>"', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return actor;
}
