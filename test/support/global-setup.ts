import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/database-admin';
import { createDataSource, runMigrations } from '../../src/db/data-source';

/**
 * One PostgreSQL for the whole run: embedded unless TEST_DATABASE_URL names a server.
 * Migrations run once into a template; each test file clones it (see test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl: string;
  if (process.env.TEST_DATABASE_URL) {
    adminUrl = process.env.TEST_DATABASE_URL;
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-test-'));
    // Our own folder (mkdtemp makes it 0700): as root, PostgreSQL runs as the postgres user, which must enter it.
    fs.chmodSync(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres(path.join(dataDir, 'pg'));
    adminUrl = embedded.adminUrl;
    (globalThis as Record<string, unknown>).__IB_EMBEDDED__ = { embedded, dataDir };
  }
  const template = `ib_template_${process.pid}`;
  await dropDatabase(adminUrl, template);
  await createDatabase(adminUrl, template);
  const dataSource = createDataSource({ url: withDatabase(adminUrl, template), poolSize: 2 });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env.IB_TEST_ADMIN_URL = adminUrl;
  process.env.IB_TEST_TEMPLATE = template;
}
