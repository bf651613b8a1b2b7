import { GraphQLError, parse, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Server } from 'node:http';
import { depthLimitRule, operationComplexity, tooComplex } from '../graphql/limits';
import { createLoaders } from '../resolvers/loaders';
import type { GraphQLContext } from '../resolvers/context';
import type { Services } from '../services';
import type { Actor } from '../shared/actor';
import { authenticateBearer } from './authenticate';

export interface WebSocketOptions {
  server: Server;
  schema: GraphQLSchema;
  services: Services;
  log: Logger;
  maxDepth: number;
  maxComplexity: number;
  maxPayloadBytes: number;
}

/** graphql-ws (`graphql-transport-ws`) on /graphql; the token comes in connectionParams. */
export function attachWebSocket({ server, schema, services, log, maxDepth, maxComplexity, maxPayloadBytes }: WebSocketOptions) {
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: maxPayloadBytes });
  const actors = new WeakMap<object, Actor>();
  const handle = useServer<Record<string, unknown>>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = params.authorization ?? params.Authorization ?? (params.token ? `Bearer ${String(params.token)}` : undefined);
        try {
          actors.set(ctx.extra, await authenticateBearer(services, header));
          return true;
        } catch {
          log.info('websocket connection refused: no valid token');
          return false;
        }
      },
      context: (ctx): GraphQLContext => ({
        actor: actors.get(ctx.extra) as Actor,
        services,
        loaders: createLoaders(services),
        log,
      }),
      onSubscribe: (_ctx, _id, payload) => {
        // Errors are returned, not thrown: a thrown one closes the whole socket (4500) with every other subscription on it.
        try {
          const document = parse(payload.query);
          const errors = validate(schema, document, [...specifiedRules, depthLimitRule(maxDepth)]);
          if (errors.length) return errors;
          const complexity = operationComplexity(schema, document, payload.operationName ?? undefined, payload.variables ?? {});
          if (complexity > maxComplexity) return [tooComplex(complexity, maxComplexity)];
          return { schema, document, variableValues: payload.variables, operationName: payload.operationName } as ExecutionArgs;
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
    },
    wss,
  );
  return {
    async close(): Promise<void> {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await handle.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
