import { ApolloServer, HeaderMap, type GraphQLResponse } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { FormattedExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { isDatabaseUnavailable } from '../db/unavailable';
import { SERVICE_UNAVAILABLE, serviceUnavailable } from '../graphql/format-error';
import type { OperationPipeline } from '../graphql/operation-pipeline';
import type { GraphQLContext } from '../resolvers/context';
import type { SocketSessions } from './socket-sessions';
import { clientAddressOf } from './client-address';
import { RequestDrain } from './drain';
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
  | 'RETRY_AFTER_SECONDS'
>;

export interface HttpServer {
  app: FastifyInstance;
  listen(port: number, host?: string): Promise<string>;
  /** Drains (new requests 503, /readyz 503, those running finish), then closes WebSocket connections and the port. */
  close(): Promise<void>;
}

export interface HttpDependencies {
  /** Asked for readiness. */
  db: DataSource;
  pipeline: OperationPipeline;
  authenticator: TokenAuthenticator;
  sessions: SocketSessions;
  log: Logger;
  /** Whether this instance hears committed changes (its LISTEN connection is up). */
  listening: () => boolean;
}

function singleResponse(status: number, body: FormattedExecutionResult, headers = new HeaderMap()): GraphQLResponse {
  return { http: { status, headers }, body: { kind: 'single', singleResult: body } };
}

/** Nothing the operation asked for was done, and the database being unavailable is why: the client should retry it. */
function failedForUnavailability(result: FormattedExecutionResult): boolean {
  return (result.errors ?? []).some((error) => error.extensions?.code === SERVICE_UNAVAILABLE) && Object.values(result.data ?? {}).every((value) => value === null);
}

/** One port: GraphQL over HTTP and WebSocket at /graphql, health probes. */
export async function createHttpServer(
  config: HttpConfig,
  { db, pipeline, authenticator, sessions, log, listening }: HttpDependencies,
  routes: (app: FastifyInstance) => Promise<void> = async () => {},
): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (request) => requestIdOf(request.headers['x-request-id']),
    // request.ip (rate limits per client address) is the proxy's own address unless its X-Forwarded-For is trusted.
    trustProxy: config.TRUST_PROXY,
    // While closing, Fastify would answer 503 without Retry-After itself; the drain hook below answers instead.
    return503OnClosing: false,
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
    // Apollo would turn introspection off under NODE_ENV=production (main.ts sets it); explorers and codegen need it,
    // and the schema is no secret (schema.graphql is committed).
    introspection: true,
    // main.ts owns SIGTERM/SIGINT: Apollo's own handlers would close Fastify at once, skipping the drain.
    stopOnTerminationSignals: false,
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
              const formatted = pipeline.formatResult(result);
              if (failedForUnavailability(formatted)) return singleResponse(503, formatted, new HeaderMap([['retry-after', String(config.RETRY_AFTER_SECONDS)]]));
              // No data at all means the request itself was bad (e.g. a variable of the wrong type), as Apollo answers it.
              return singleResponse('data' in result ? 200 : 400, formatted);
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const drain = new RequestDrain();
  app.addHook('onRequest', (request, reply, done) => {
    // Echo the request id (ours, or the caller's X-Request-Id) so a caller can quote it when reporting a problem.
    reply.header('x-request-id', request.id);
    if (!drain.active || request.routeOptions.url === '/healthz') {
      drain.admit(reply.raw);
      done();
      return;
    }
    // Shutting down: nothing new starts; the caller retries, through the load balancer on another instance.
    reply.code(503).header('retry-after', String(config.RETRY_AFTER_SECONDS)).header('connection', 'close');
    void reply.send(shuttingDownBody(request.routeOptions.url));
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    // Subscribers on this instance would hear nothing until it is back (then it replays what they missed).
    if (!listening()) return reply.code(503).header('retry-after', String(config.RETRY_AFTER_SECONDS)).send({ status: 'reconnecting to change notifications' });
    try {
      await db.query('SELECT 1');
      return { status: 'ready' };
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).header('retry-after', String(config.RETRY_AFTER_SECONDS)).send({ status: 'database unreachable' });
    }
  });

  await routes(app as unknown as FastifyInstance);

  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    context: async (request) => {
      try {
        return pipeline.context((await authenticator.authenticate(request.headers.authorization, request.ip)).actor, request.log as Logger, request.id);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        // The token may well be valid: neither 401 nor 500, but "retry" (503 with Retry-After).
        request.log.warn({ reason: (error as Error).message }, 'could not check an API token: the database is unavailable');
        throw serviceUnavailable('the API token could not be checked: the database is unavailable; retry', config.RETRY_AFTER_SECONDS);
      }
    },
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
    draining: () => drain.active,
  });

  return {
    app,
    listen: (port, host = '127.0.0.1') => app.listen({ port, host }),
    async close() {
      await drain.start();
      await websocket.close();
      await app.close();
    },
  };
}

/** What a request gets while the instance drains, in the shape its route answers errors in. */
function shuttingDownBody(route: string | undefined): unknown {
  if (route === '/readyz') return { status: 'draining' };
  const message = 'this instance is shutting down; retry';
  if (route === '/graphql') return { errors: [{ message, extensions: { code: SERVICE_UNAVAILABLE } }] };
  return { error: `${message} the request`, details: {} };
}
