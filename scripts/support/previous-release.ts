import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OUTPUT_TAIL_CHARS = 4000;

/** The full sha of `commit` in the repository at `repo`; a clear error when this clone does not have it. */
export async function resolveCommit(repo: string, commit: string): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${commit}^{commit}`]);
    return stdout.trim();
  } catch {
    const { stdout } = await run('git', ['-C', repo, 'rev-parse', '--is-shallow-repository']).catch(() => ({ stdout: 'unknown' }));
    const shallow = stdout.trim() === 'true' ? ' This is a shallow clone: run `git fetch --unshallow` (CI needs a full clone).' : '';
    throw new Error(`commit ${commit} (the previous release) is not in this clone's history.${shallow}`);
  }
}

/**
 * The release at `commit`, extracted from git into `folder`, installed (npm ci) and built there, as it was
 * deployed. Returns its server's entry point. `signal` ends the commands still running (Ctrl-C).
 */
export async function buildRelease(repo: string, commit: string, folder: string, signal?: AbortSignal): Promise<string> {
  fs.mkdirSync(folder, { recursive: true });
  await extract(repo, commit, folder, signal);
  // The npm_* variables of the `npm run` that started us (npm_config_local_prefix above all) would point the
  // nested npm at this checkout; NODE_ENV=production would leave out the compiler the build needs.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD' && name !== 'NODE_ENV'));
  await runIn(folder, env, signal, 'npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline']);
  await runIn(folder, env, signal, 'npm', ['run', 'build']);
  const mainJs = path.join(folder, 'dist', 'src', 'main.js');
  if (!fs.existsSync(mainJs)) throw new Error(`the build of ${commit} has no ${mainJs}`);
  return mainJs;
}

/** `git archive <commit> | tar -x -C <folder>`. */
async function extract(repo: string, commit: string, folder: string, signal?: AbortSignal): Promise<void> {
  const tar = start('tar', ['-x', '-C', folder], { signal, stdin: 'pipe' });
  const archive = start('git', ['-C', repo, 'archive', '--format=tar', commit], { signal, stdoutTo: tar.child.stdin! });
  await Promise.all([archive.ended, tar.ended]);
}

function runIn(cwd: string, env: NodeJS.ProcessEnv, signal: AbortSignal | undefined, command: string, args: string[]): Promise<void> {
  return start(command, args, { cwd, env, signal }).ended;
}

interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  stdin?: 'pipe' | 'ignore';
  /** Where its output goes; by default it is kept for the error message. */
  stdoutTo?: Writable;
}

/**
 * Starts `command`; `ended` settles once it has exited and closed its output — when `signal` ends it too, so
 * nothing writes into the folder any more once the caller removes it — and rejects with its output's tail unless
 * it exited with 0.
 */
function start(command: string, args: string[], options: StartOptions): { child: ChildProcess; ended: Promise<void> } {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = `${output}${chunk.toString('utf8')}`.slice(-OUTPUT_TAIL_CHARS));
  if (options.stdoutTo) child.stdout!.pipe(options.stdoutTo);
  else child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = () => child.kill('SIGTERM');
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  const ended = new Promise<void>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`${command} ${args.join(' ')} ${why}${options.cwd ? ` in ${options.cwd}` : ''}:\n${output}`));
    child.once('error', (error) => {
      // Never started (not installed, say): there will be no exit to wait for.
      if (child.pid === undefined) fail(`could not start (${error.message})`);
    });
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', stop);
      if (code === 0) resolve();
      else fail(options.signal?.aborted ? 'was stopped' : `failed (${code ?? signal})`);
    });
  });
  return { child, ended };
}
