import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { getOperationAST, GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { OperationPipeline } from '../graphql/operation-pipeline';
import type { GraphQLContext } from '../resolvers/context';
import type { AuthenticatedToken } from '../services/api-token.service';
import type { SocketSessions } from './socket-sessions';
import type { TokenAuthenticator } from './token-authenticator';

export interface WebSocketOptions {
  server: Server;
  pipeline: OperationPipeline;
  authenticator: TokenAuthenticator;
  sessions: SocketSessions;
  log: Logger;
  maxPayloadBytes: number;
  clientAddress: (request: IncomingMessage) => string;
  /** Subscriptions and queries one connection may have running at once. */
  maxOperationsPerConnection: number;
  /** True once the server is shutting down: new connections are sent elsewhere. */
  draining: () => boolean;
}

const TOO_MANY_FAILURES_CLOSE_CODE = 4429;
/** WebSocket's own "try again later": graphql-ws clients reconnect after it. */
const TRY_AGAIN_LATER_CLOSE_CODE = 1013;
/** "Going away": the server is shutting down; graphql-ws clients reconnect (through a load balancer, elsewhere). */
const GOING_AWAY_CLOSE_CODE = 1001;

function bearerOf(params: Record<string, unknown> | undefined): unknown {
  const given = params ?? {};
  return given.authorization ?? given.Authorization ?? (given.token ? `Bearer ${String(given.token)}` : undefined);
}

/**
 * graphql-ws (`graphql-transport-ws`) on /graphql; the token comes in connectionParams and is checked again
 * for every operation. Operations go through the same pipeline as over HTTP: limits, budget, error format.
 */
export function attachWebSocket({ server, pipeline, authenticator, sessions, log, maxPayloadBytes, clientAddress, maxOperationsPerConnection, draining }: WebSocketOptions) {
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: maxPayloadBytes });
  const handle = useServer<Record<string, unknown>, Partial<Extra>>(
    {
      onConnect: async (ctx) => {
        if (draining()) {
          ctx.extra.socket.close(GOING_AWAY_CLOSE_CODE, 'server shutting down');
          return false;
        }
        let token: AuthenticatedToken;
        try {
          token = await authenticator.authenticate(bearerOf(ctx.connectionParams), clientAddress(ctx.extra.request));
        } catch (error) {
          const code = error instanceof GraphQLError ? error.extensions.code : undefined;
          if (code === 'UNAUTHENTICATED') {
            log.info({ reason: (error as Error).message }, 'websocket connection refused');
            return false;
          }
          // An address that used up its failed attempts is told so (4429, not retried by graphql-ws clients);
          // a token that could not be checked (database down) is "try again later" (1013, retried).
          if (code === 'TOO_MANY_AUTH_FAILURES') ctx.extra.socket.close(TOO_MANY_FAILURES_CLOSE_CODE, (error as Error).message);
          else {
            log.warn({ err: error }, 'could not check a websocket connection’s token');
            ctx.extra.socket.close(TRY_AGAIN_LATER_CLOSE_CODE, 'the API token could not be checked; retry');
          }
          return false;
        }
        return sessions.add(ctx.extra.socket, token);
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Errors are returned, not thrown: a thrown one closes the whole socket (4500) with every other subscription on it.
        if (Object.keys(ctx.subscriptions).length > maxOperationsPerConnection) {
          return [new GraphQLError(`at most ${maxOperationsPerConnection} operations may run at once on one connection`, { extensions: { code: 'BAD_REQUEST' } })];
        }
        const connected = sessions.tokenOf(ctx.extra.socket);
        let current: AuthenticatedToken;
        try {
          current = await authenticator.authenticate(bearerOf(ctx.connectionParams));
        } catch (error) {
          if (error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED') {
            sessions.close(ctx.extra, 'API token revoked or expired');
            return [error];
          }
          log.warn({ err: error }, 'could not re-check a websocket connection’s token');
          return [new GraphQLError('the API token could not be checked; retry', { extensions: { code: 'SERVICE_UNAVAILABLE' } })];
        }
        if (!connected || current.actor.role !== connected.actor.role) {
          sessions.close(ctx.extra, `API token role changed to ${current.actor.role}; reconnect`);
          return [new GraphQLError('the API token changed; reconnect', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        const document = pipeline.parse(payload.query);
        if (Array.isArray(document)) return document;
        const request = { document, operationName: payload.operationName, variables: payload.variables };
        const errors = pipeline.check(request);
        if (errors.length) return [...errors];
        const subscription = getOperationAST(document, payload.operationName)?.operation === 'subscription';
        // One id per operation: a WebSocket message has no X-Request-Id, and its log lines and audit entries still correlate.
        const requestId = randomUUID();
        const args: ExecutionArgs = {
          schema: pipeline.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: pipeline.context(current.actor, log.child({ reqId: requestId }), requestId, subscription),
        };
        return args;
      },
      execute: (args) => pipeline.execute(args as ExecutionArgs & { contextValue: GraphQLContext }),
      subscribe: (args) => pipeline.subscribe(args),
      onNext: (_ctx, _id, _payload, _args, result) => pipeline.formatResult(result),
      onError: (_ctx, _id, _payload, errors) => pipeline.formatErrors(errors),
    },
    wss,
  );
  return {
    async close(): Promise<void> {
      for (const client of wss.clients) client.close(GOING_AWAY_CLOSE_CODE, 'server shutting down');
      await handle.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
