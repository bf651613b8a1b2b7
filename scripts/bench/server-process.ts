import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/db/embedded-postgres';

/** The built server (dist/src/main.js), relative to this file once compiled to dist/scripts/bench/. */
const MAIN_JS = path.resolve(__dirname, '../../src/main.js');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const OUTPUT_TAIL_LINES = 40;
const FIRST_ERRORS_KEPT = 10;
/**
 * The node flags `npm start` runs the server with (package.json; test/db/start-script.test.ts keeps them equal):
 * a 32 MB young generation halves how often the garbage collector interrupts a busy ingest path (measured +5–10 %).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

export interface ServerProcess {
  url: string;
  pid: number;
  /** False once the process has exited (a crash, when the bench did not stop it). */
  alive(): boolean;
  /** The last lines the server wrote (warnings and errors at LOG_LEVEL=warn). */
  outputTail(): string[];
  /** The first lines the server logged at error level or above (pino JSON), however many lines followed them. */
  firstErrors(): string[];
  /** Lines the server wrote since start, by level (pino JSON); counts warnings/errors seen during a case. */
  logCounts(): { warn: number; error: number; other: number };
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Settings for the server; undefined removes a variable inherited from the bench's environment. */
  env: Record<string, string | undefined>;
  /** Extra node flags for the server process (e.g. --cpu-prof), from BENCH_SERVER_NODE_ARGS. */
  nodeArgs?: string[];
  /** The built server to run: this checkout's dist/src/main.js unless given (another release's, say). */
  mainJs?: string;
}

const running = new Set<ChildProcess>();

/**
 * On Ctrl-C or SIGTERM: ends the servers this process started, runs `cleanup` once (drop the bench database…)
 * and exits with 130. Returns a function that removes the handlers once the bench has cleaned up by itself.
 */
export function handleInterrupts(cleanup: () => Promise<void>, announce: (signal: NodeJS.Signals) => void): () => void {
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    announce(signal);
    killStartedServers();
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}

/** Ends every server this process started (by its own pid), for Ctrl-C or a crash of the bench. */
export function killStartedServers(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}

/** Starts `node dist/src/main.js` (or `mainJs`) on a free loopback port and waits until /readyz answers 200. */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const mainJs = options.mainJs ?? MAIN_JS;
  if (!fs.existsSync(mainJs)) throw new Error(`${mainJs} not found: run npm run build first`);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' };
  for (const [name, value] of Object.entries(options.env)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  // The bench's own NODE_OPTIONS (a profiler, say) is not meant for the server.
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), mainJs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const tail: string[] = [];
  const counts = { warn: 0, error: 0, other: 0 };
  const firstErrors: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === '40') counts.warn += 1;
      else if (level && Number(level) >= 50) {
        counts.error += 1;
        if (firstErrors.length < FIRST_ERRORS_KEPT) firstErrors.push(line.length > 1500 ? `${line.slice(0, 1500)}…` : line);
      }
      else counts.other += 1;
      tail.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail.join('\n')}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${READY_TIMEOUT_MS / 1000} s:\n${tail.join('\n')}`);
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
    } catch {
      // Not listening yet (migrations, embedded PostgreSQL starting).
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  return {
    url,
    pid: child.pid ?? -1,
    alive: () => child.exitCode === null && child.signalCode === null,
    outputTail: () => [...tail],
    firstErrors: () => [...firstErrors],
    logCounts: () => ({ ...counts }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
