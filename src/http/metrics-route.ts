import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { hashSecret } from '../shared/secrets';

/** GET /metrics for Prometheus; with METRICS_TOKEN set, only for `Authorization: Bearer <METRICS_TOKEN>`. */
export function registerMetricsRoute(app: FastifyInstance, registry: Registry, token: string | undefined): void {
  // Compared as fixed-length hashes, so the comparison takes the same time whatever was sent.
  const expected = token ? Buffer.from(hashSecret(token)) : null;
  app.get('/metrics', async (request, reply) => {
    if (expected) {
      const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!presented || !timingSafeEqual(Buffer.from(hashSecret(presented)), expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'send the metrics token as Authorization: Bearer <METRICS_TOKEN>' });
      }
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
