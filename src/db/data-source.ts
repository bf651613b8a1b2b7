import { DataSource } from 'typeorm';
import { ENTITIES } from '../schema/entities';
import { MIGRATIONS } from '../../migrations';

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

/** The one way the application talks to PostgreSQL: TypeORM over `pg`, migrations never `synchronize`. */
export function createDataSource({ url, poolSize = 20, applicationName = 'incident-bridge' }: DataSourceOptions): DataSource {
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
    extra: { max: poolSize },
    logging: false,
  });
}

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}
