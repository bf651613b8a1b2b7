import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * Cross-origin access for browser frontends on the listed origins (exact matches, no wildcard): preflights are
 * answered, the allowed origin is echoed. Tokens travel in the Authorization header, never in cookies, so
 * credentials are not allowed; Apollo's CSRF prevention still refuses simple cross-site requests.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  const allowed = new Set(origins);
  await app.register(fastifyCors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    credentials: false,
    maxAge: 600,
    strictPreflight: true,
  });
}
