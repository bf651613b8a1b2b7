import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { ChangeListener } from './db/change-listener';
import { buildGraphQLSchema, createChangePubSub } from './graphql/build-schema';
import { createHttpServer, type HttpServer } from './http/server';
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
  const services = createServices(dataSource, clock);
  const pubSub = createChangePubSub();
  const listener = new ChangeListener(databaseUrl, (change) => pubSub.publish(change.topic, change as never), log.child({ module: 'changes' }));
  await listener.start();
  const schema = await buildGraphQLSchema(pubSub);
  const http = await createHttpServer(config, schema, services, log);
  return {
    services,
    http,
    async close() {
      await http.close();
      await listener.stop();
    },
  };
}
