import 'reflect-metadata';
import { createApplication } from './app';
import { loadConfig } from './config';
import { runMigrations } from './db/data-source';
import { openDatabase } from './db/open-database';
import { createLogger } from './logger';
import { systemClock } from './shared/clock';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, (line) => log.debug({ module: 'embedded-postgres' }, line));
  log.info({ embedded: database.embedded, dataDir: database.embedded ? config.DATA_DIR : undefined }, 'database open');
  const applied = await runMigrations(database.dataSource);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');

  const app = await createApplication({ config, dataSource: database.dataSource, databaseUrl: database.url, clock: systemClock, log });
  const bootstrapSecret = await app.services.tokens.bootstrapAdmin(config.BOOTSTRAP_ADMIN_TOKEN);
  if (bootstrapSecret && !config.BOOTSTRAP_ADMIN_TOKEN) {
    // Printed on stdout once, on the first start of an empty database, so the operator can log in.
    process.stdout.write(`\nAdmin API token (shown once, store it now):\n  ${bootstrapSecret}\n\n`);
  }
  const address = await app.http.listen(config.PORT, config.HOST);
  log.info({ address: `${address}/graphql` }, 'incident-bridge is serving GraphQL');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing in-flight ones');
    const forced = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    forced.unref();
    try {
      await app.close();
      await database.close();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
