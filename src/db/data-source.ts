import { DataSource, type DataSourceOptions as DataSourceConfig } from 'typeorm';
import { GuardedClient } from './guarded-client';
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
  /**
   * PostgreSQL's statement_timeout for this pool's sessions; 0 or unset: none. A statement that got no reply
   * at all `connectTimeoutMs` (at least 1 s) after it, not even the server's cancellation, fails too, and its
   * connection is closed (GuardedClient). Migrations run without either (runMigrations).
   */
  statementTimeoutMs?: number;
}

/** The one way the application talks to PostgreSQL: TypeORM over `pg`, migrations never `synchronize`. */
export function createDataSource({ url, poolSize = 20, applicationName = 'incident-bridge', connectTimeoutMs = 0, statementTimeoutMs = 0 }: DataSourceOptions): DataSource {
  const statementLimits = statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + Math.max(connectTimeoutMs, 1000) } : {};
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
    // statement_timeout travels once per connection (the startup packet): nothing per statement on the hot path.
    extra: { max: poolSize, connectionTimeoutMillis: connectTimeoutMs, Client: GuardedClient, ...statementLimits },
    logging: false,
  });
}

/** Instances starting together (a rolling deploy, a scaled-up fleet) migrate one after the other under this lock. */
const MIGRATION_LOCK = 7210002;

/**
 * Applies pending migrations, each in its own transaction, on a connection of their own without the pool's
 * timeouts (one may rewrite a large table), holding an advisory lock: a second instance waits, then finds
 * nothing left to apply.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  // One connection, so the session that takes the lock is the one that migrates and releases it.
  const migrator = new DataSource({ ...dataSource.options, extra: { max: 1 } } as DataSourceConfig);
  await migrator.initialize();
  try {
    await migrator.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await migrator.runMigrations({ transaction: 'each' });
    await migrator.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    return applied.map((migration) => migration.name);
  } finally {
    await migrator.destroy();
  }
}
