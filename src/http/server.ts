import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createErrorFormatter } from '../graphql/format-error';
import { depthLimitRule, operationComplexity, tooComplex } from '../graphql/limits';
import type { GraphQLContext } from '../resolvers/context';
import { createLoaders } from '../resolvers/loaders';
import type { Services } from '../services';
import { authenticateBearer } from './authenticate';
import { attachWebSocket } from './websocket';

export type HttpConfig = Pick<Config, 'BODY_LIMIT_BYTES' | 'GRAPHQL_MAX_DEPTH' | 'GRAPHQL_MAX_COMPLEXITY' | 'GRAPHQL_INTROSPECTION' | 'TRUST_PROXY'>;

export interface HttpServer {
  app: FastifyInstance;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** One port: GraphQL over HTTP and WebSocket at /graphql, health probes. */
export async function createHttpServer(
  config: HttpConfig,
  schema: GraphQLSchema,
  services: Services,
  log: Logger,
  routes: (app: FastifyInstance) => Promise<void> = async () => {},
): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // request.ip (rate limits per client address) is the proxy's own address unless its X-Forwarded-For is trusted.
    trustProxy: config.TRUST_PROXY,
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: config.GRAPHQL_INTROSPECTION,
    formatError: createErrorFormatter(log),
    validationRules: [depthLimitRule(config.GRAPHQL_MAX_DEPTH)],
    includeStacktraceInErrorResponses: false,
    plugins: [
      fastifyApolloDrainPlugin(app),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ request, document }) {
              const complexity = operationComplexity(schema, document, request.operationName ?? undefined, request.variables ?? {});
              if (complexity > config.GRAPHQL_MAX_COMPLEXITY) throw tooComplex(complexity, config.GRAPHQL_MAX_COMPLEXITY);
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
    context: async (request) => ({
      actor: await authenticateBearer(services, request.headers.authorization),
      services,
      loaders: createLoaders(services),
      log: request.log as Logger,
    }),
  });

  const websocket = attachWebSocket({
    server: app.server,
    schema,
    services,
    log,
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxComplexity: config.GRAPHQL_MAX_COMPLEXITY,
    maxPayloadBytes: config.BODY_LIMIT_BYTES,
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
