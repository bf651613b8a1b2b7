import fs from 'node:fs';
import { dropDatabase } from '../../src/db/database-admin';
import type { EmbeddedDatabase } from '../../src/db/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.IB_TEST_ADMIN_URL;
  const template = process.env.IB_TEST_TEMPLATE;
  if (adminUrl && template) await dropDatabase(adminUrl, template);
  const started = (globalThis as Record<string, unknown>).__IB_EMBEDDED__ as { embedded: EmbeddedDatabase; dataDir: string } | undefined;
  if (started) {
    await started.embedded.stop();
    fs.rmSync(started.dataDir, { recursive: true, force: true });
  }
}
