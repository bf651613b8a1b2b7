import path from 'node:path';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/database-admin';
import { createDataSource, runMigrations } from '../../src/db/data-source';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';

export interface ScratchDatabase {
  url: string;
  /** Where it lives, for the log (no password). */
  description: string;
  /** Drops the database, or stops the embedded PostgreSQL this process started for it. */
  close(): Promise<void>;
}

/**
 * A new, empty database `name`: on the server of `serverUrl` when given (dropped by close), else on an embedded
 * PostgreSQL of our own with its data under `folder`, which PostgreSQL's OS user must be able to reach when we run
 * as root (stopped by close; the folder is the caller's to remove).
 */
export async function openScratchDatabase(name: string, serverUrl: string | undefined, folder: string): Promise<ScratchDatabase> {
  if (serverUrl) {
    await createDatabase(serverUrl, name);
    const url = withDatabase(serverUrl, name);
    return { url, description: `database ${name} on ${new URL(url).host}`, close: () => dropDatabase(serverUrl, name) };
  }
  const embedded = await startEmbeddedPostgres(path.join(folder, 'data'));
  try {
    await createDatabase(embedded.adminUrl, name);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { url: withDatabase(embedded.adminUrl, name), description: `embedded PostgreSQL on port ${embedded.port} in ${folder}`, close: () => embedded.stop() };
}

/** Applies this checkout's migrations, as a server of this release does at start; returns the names it applied. */
export async function migrate(url: string): Promise<string[]> {
  const dataSource = createDataSource({ url, poolSize: 2 });
  await dataSource.initialize();
  try {
    return await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
