import './production-mode';
import 'reflect-metadata';
import { createApplication, type Application } from './app';
import { loadConfig } from './config';
import { runMigrations } from './db/data-source';
import { EmbeddedPostgresError } from './db/embedded-postgres';
import { openDatabase, type OpenDatabase } from './db/open-database';
import { createLogger } from './logger';
import { systemClock } from './shared/clock';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL);
  // What has started so far: a signal during start-up stops that much.
  const started: { database?: OpenDatabase; app?: Application } = {};

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: new requests and /readyz answer 503, in-flight ones finish');
    const forced = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    forced.unref();
    try {
      // The application's connections (the change listener's LISTEN among them) end before the database does,
      // so none of them sees PostgreSQL go away.
      await started.app?.close();
      await started.database?.close();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const postgresLog = log.child({ module: 'embedded-postgres' });
  const database = await openDatabase(config, (line, level = 'debug') => postgresLog[level](line), { server: true });
  started.database = database;
  log.info({ embedded: database.embedded, dataDir: database.dataDir ?? undefined }, 'database open');
  try {
    const applied = await runMigrations(database.dataSource);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');

    const app = await createApplication({ config, dataSource: database.dataSource, databaseUrl: database.url, clock: systemClock, log });
    started.app = app;
    const bootstrapSecret = await app.services.tokens.bootstrapAdmin(config.BOOTSTRAP_ADMIN_TOKEN);
    if (bootstrapSecret && !config.BOOTSTRAP_ADMIN_TOKEN) {
      // Printed on stdout once, on the first start of an empty database, so the operator can log in.
      process.stdout.write(`\nAdmin API token (shown once, store it now):\n  ${bootstrapSecret}\n\n`);
    }
    const address = await app.http.listen(config.PORT, config.HOST);
    log.info({ address: `${address}/graphql` }, 'incident-bridge is serving GraphQL');
  } catch (error) {
    // The embedded PostgreSQL must not outlive a server that failed to start (a port in use, say).
    await started.app?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

main().catch((error) => {
  console.error(error instanceof EmbeddedPostgresError ? error.message : error);
  process.exit(1);
});
