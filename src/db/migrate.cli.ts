import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from './open-database';
import { runMigrations } from './data-source';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await openDatabase(config, (line) => console.error(line));
  try {
    const applied = await runMigrations(database.dataSource);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
