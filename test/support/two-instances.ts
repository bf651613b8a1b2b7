import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { createServices, type ServiceOptions, type Services } from '../../src/services';
import type { Clock } from '../../src/shared/clock';
import { createTestDatabase, type TestDatabase } from './test-database';

/** Two independent "instances" for exactly-once tests: own pools, own services, one fresh database and clock. */
export interface TwoInstances {
  database: TestDatabase;
  first: DataSource;
  second: DataSource;
  a: Services;
  b: Services;
  close(): Promise<void>;
}

/** `options`: what each instance is built with besides the log and base URL (its own channels, batch sizes…). */
export async function openTwoInstances(clock: Clock, options: (instance: 'a' | 'b') => Partial<ServiceOptions> = () => ({})): Promise<TwoInstances> {
  const log = pino({ level: 'silent' });
  const database = await createTestDatabase();
  const first = createDataSource({ url: database.url, poolSize: 10 });
  const second = createDataSource({ url: database.url, poolSize: 10 });
  await Promise.all([first.initialize(), second.initialize()]);
  return {
    database,
    first,
    second,
    a: createServices(first, clock, { log, publicBaseUrl: 'http://localhost', ...options('a') }),
    b: createServices(second, clock, { log, publicBaseUrl: 'http://localhost', ...options('b') }),
    async close() {
      await Promise.all([first.destroy(), second.destroy()]);
      await database.drop();
    },
  };
}
