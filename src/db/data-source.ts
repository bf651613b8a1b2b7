import { DataSource, MigrationExecutor } from 'typeorm';
import { ENTITIES } from '../schema/entities';
import { MIGRATIONS } from '../../migrations';

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
  /**
   * Longest wait for a connection, whether it is being opened or the pool is full and none is free; past it the
   * query fails (and its request is answered 503) instead of hanging on a database that does not answer.
   */
  connectTimeoutMs?: number;
  /** PostgreSQL's statement_timeout for this pool's sessions (migrations lift it); 0 or unset: none. */
  statementTimeoutMs?: number;
}

/** The one way the application talks to PostgreSQL: TypeORM over `pg`, migrations never `synchronize`. */
export function createDataSource({ url, poolSize = 20, applicationName = 'incident-bridge', connectTimeoutMs = 0, statementTimeoutMs = 0 }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    applicationName,
    // Sent once per connection (the startup packet), so the timeouts cost the hot path nothing per statement.
    extra: { max: poolSize, connectionTimeoutMillis: connectTimeoutMs, ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}) },
    logging: false,
  });
}

/** Applies pending migrations, each in its own transaction, without the pool's statement timeout: one may rewrite a large table. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SET statement_timeout = 0');
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    // Back to the connection's own setting before the connection returns to the pool.
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
  }
}
