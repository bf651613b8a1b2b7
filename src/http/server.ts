import { ApolloServer, HeaderMap, type GraphQLResponse } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { FormattedExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { OperationPipeline } from '../graphql/operation-pipeline';
import type { GraphQLContext } from '../resolvers/context';
import type { Services } from '../services';
import type { SocketSessions } from './socket-sessions';
import { clientAddressOf } from './client-address';
import { registerCors } from './cors';
import { requestIdOf } from './request-id';
import type { TokenAuthenticator } from './token-authenticator';
import { attachWebSocket } from './websocket';

export type HttpConfig = Pick<
  Config,
  | 'BODY_LIMIT_BYTES'
  | 'HTTP_HEADERS_TIMEOUT_MS'
  | 'HTTP_REQUEST_TIMEOUT_MS'
  | 'HTTP_KEEP_ALIVE_TIMEOUT_MS'
  | 'HTTP_IDLE_TIMEOUT_MS'
  | 'HTTP_MAX_CONNECTIONS'
  | 'CORS_ORIGINS'
  | 'TRUST_PROXY'
  | 'WS_MAX_OPERATIONS_PER_CONNECTION'
>;

export interface HttpServer {
  app: FastifyInstance;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export interface HttpDependencies {
  services: Services;
  pipeline: OperationPipeline;
  authenticator: TokenAuthenticator;
  sessions: SocketSessions;
  log: Logger;
  /** Whether this instance hears committed changes (its LISTEN connection is up). */
  listening: () => boolean;
}

function singleResponse(status: number, body: FormattedExecutionResult): GraphQLResponse {
  return { http: { status, headers: new HeaderMap() }, body: { kind: 'single', singleResult: body } };
}

/** One port: GraphQL over HTTP and WebSocket at /graphql, health probes. */
export async function createHttpServer(
  config: HttpConfig,
  { services, pipeline, authenticator, sessions, log, listening }: HttpDependencies,
  routes: (app: FastifyInstance) => Promise<void> = async () => {},
): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (request) => requestIdOf(request.headers['x-request-id']),
    // request.ip (rate limits per client address) is the proxy's own address unless its X-Forwarded-For is trusted.
    trustProxy: config.TRUST_PROXY,
    // Slow and idle clients must not hold sockets: each limit answers 408 or closes (README: configuration).
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
      // Node enforces the header and request timeouts on this tick (30 s by default, coarser than the timeouts).
      connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
    },
  });
  app.server.maxConnections = config.HTTP_MAX_CONNECTIONS;
  await registerCors(app as unknown as FastifyInstance, config.CORS_ORIGINS);

  const apollo = new ApolloServer<GraphQLContext>({
    schema: pipeline.schema,
    formatError: pipeline.formatError,
    parseOptions: pipeline.parseOptions,
    // The operation pipeline validates instead, so its linear shape check runs before graphql-js's rules.
    dangerouslyDisableValidation: true,
    includeStacktraceInErrorResponses: false,
    plugins: [
      fastifyApolloDrainPlugin(app),
      {
        async requestDidStart() {
          return {
            // Checked and run by the same pipeline as WebSocket operations: limits, time budget, error format.
            async responseForOperation({ request, document, contextValue }) {
              const operation = { document, operationName: request.operationName, variables: request.variables };
              const errors = pipeline.check(operation, 'http');
              if (errors.length) return singleResponse(400, { errors: pipeline.formatErrors(errors) });
              const result = await pipeline.execute({
                schema: pipeline.schema,
                document,
                operationName: request.operationName,
                variableValues: request.variables,
                contextValue,
              });
              // No data at all means the request itself was bad (e.g. a variable of the wrong type), as Apollo answers it.
              return singleResponse('data' in result ? 200 : 400, pipeline.formatResult(result));
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  // Echo the request id (ours, or the caller's X-Request-Id) so a caller can quote it when reporting a problem.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    // Subscribers on this instance would hear nothing until it is back (then it replays what they missed).
    if (!listening()) return reply.code(503).send({ status: 'reconnecting to change notifications' });
    try {
      await services.db.query('SELECT 1');
      return { status: 'ready' };
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });

  await routes(app as unknown as FastifyInstance);

  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    context: async (request) => pipeline.context((await authenticator.authenticate(request.headers.authorization, request.ip)).actor, request.log as Logger),
  });

  const websocket = attachWebSocket({
    server: app.server,
    pipeline,
    authenticator,
    sessions,
    log,
    maxPayloadBytes: config.BODY_LIMIT_BYTES,
    clientAddress: clientAddressOf(config.TRUST_PROXY),
    maxOperationsPerConnection: config.WS_MAX_OPERATIONS_PER_CONNECTION,
  });

  return {
    app,
    listen: (port, host = '127.0.0.1') => app.listen({ port, host }),
    async close() {
      await websocket.close();
      await app.close();
    },
  };
}
