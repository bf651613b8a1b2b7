import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { publicBaseUrl, type Config } from './config';
import type { Change } from './db/changes';
import { ChangeListener } from './db/change-listener';
import { buildGraphQLSchema, createChangePubSub } from './graphql/build-schema';
import { createMetrics } from './http/metrics';
import { createHttpServer, type HttpServer } from './http/server';
import { registerWebhookRoutes } from './ingest/webhook-routes';
import { createServices, type Services } from './services';
import type { Clock } from './shared/clock';

export interface Application {
  services: Services;
  http: HttpServer;
  close(): Promise<void>;
}

export interface ApplicationOptions {
  config: Config;
  dataSource: DataSource;
  databaseUrl: string;
  clock: Clock;
  log: Logger;
}

/** Assembles services, the change listener and the HTTP/WebSocket server over an open, migrated database. */
export async function createApplication({ config, dataSource, databaseUrl, clock, log }: ApplicationOptions): Promise<Application> {
  const services = createServices(dataSource, clock, {
    log,
    publicBaseUrl: publicBaseUrl(config),
    ingest: { maxInFlight: config.INGEST_MAX_IN_FLIGHT, maxAlertsPerBatch: config.INGEST_MAX_BATCH_ALERTS },
  });
  const pubSub = createChangePubSub();
  const dispatch = (change: Change) => {
    switch (change.topic) {
      case 'ALERTS_RECEIVED':
        for (const alert of change.alerts) pubSub.publish('ALERT_RECEIVED', alert);
        return;
      case 'INTEGRATION_CHANGED':
        services.integrationCache.invalidate(change.integrationId);
        return;
      default:
        pubSub.publish(change.topic, change as never);
    }
  };
  const listener = new ChangeListener(databaseUrl, dispatch, log.child({ module: 'changes' }));
  await listener.start();
  const schema = await buildGraphQLSchema(pubSub);
  const metrics = createMetrics();
  const http = await createHttpServer(config, schema, services, log, async (app) => {
    app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
    await registerWebhookRoutes(app, {
      cache: services.integrationCache,
      processor: services.processor,
      deadLetters: services.deadLetters,
      metrics,
      clock,
      log: log.child({ module: 'webhooks' }),
      publicBaseUrl: publicBaseUrl(config),
      bodyLimit: config.BODY_LIMIT_BYTES,
    });
  });
  return {
    services,
    http,
    async close() {
      await http.close();
      await services.coalescer.idle();
      await listener.stop();
    },
  };
}
