import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createDatabase, withDatabase } from './database-admin';
import { createDataSource } from './data-source';
import { resolveDataDir, startEmbeddedPostgres, type EmbeddedDatabase, type EmbeddedLog } from './embedded-postgres';

export interface OpenDatabase {
  dataSource: DataSource;
  url: string;
  embedded: boolean;
  /** The embedded PostgreSQL's data folder (DATA_DIR, or where it lives when DATA_DIR is unset), if embedded. */
  dataDir: string | null;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * The server owns the embedded PostgreSQL: it refuses one that another process already runs on DATA_DIR, and
   * PostgreSQL stops only through its orderly shutdown. Scripts (seed, migrate) instead use the one a running
   * server started, or start their own.
   */
  server?: boolean;
}

const EMBEDDED_DATABASE = 'incident_bridge';

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR (or uses the one running there) and connects to that. */
export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DB_POOL_SIZE' | 'DB_CONNECT_TIMEOUT_MS' | 'DB_STATEMENT_TIMEOUT_MS'>,
  log: EmbeddedLog,
  options: OpenDatabaseOptions = {},
): Promise<OpenDatabase> {
  let url = config.DATABASE_URL;
  let embedded: EmbeddedDatabase | null = null;
  let dataDir: string | null = null;
  if (!url) {
    const server = options.server ?? false;
    dataDir = await resolveDataDir(config.DATA_DIR, log);
    embedded = await startEmbeddedPostgres(path.join(dataDir, 'postgres'), { log, joinRunning: !server, ownProcessGroup: server });
    url = withDatabase(embedded.adminUrl, EMBEDDED_DATABASE);
  }
  const dataSource = createDataSource({ url, poolSize: config.DB_POOL_SIZE, connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS });
  try {
    if (embedded) await createDatabase(embedded.adminUrl, EMBEDDED_DATABASE);
    await dataSource.initialize();
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    url,
    embedded: embedded !== null,
    dataDir,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
