import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../scripts/bench/server-process';
import { childEnv, copyOfProject, descendantsOf, graphql, killStarted, problemLines, servingUrl, start, stillRunningAfter, type Started } from './support/processes';

/**
 * Stopping the server the ways README tells people to run it: SIGTERM to `npm start` (a process manager, `kill`),
 * Ctrl-C in a terminal (SIGINT to the whole foreground process group), SIGTERM to `node dist/src/main.js`.
 * Each must end node and the embedded PostgreSQL, log no warning, and leave the data ready for the next start.
 */
jest.setTimeout(180_000);

const TOKEN = `ib_${'s'.repeat(40)}`;
const STOP_DEADLINE_MS = 20_000;

describe('stopping the server', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-stop-'));
  const dataDir = path.join(home, 'data');
  let clone: string;
  let serviceId: string;

  beforeAll(() => {
    // The test's own folder: reachable by the postgres user when the suite runs as root.
    fs.chmodSync(home, 0o755);
    clone = copyOfProject(home);
  });

  afterAll(() => {
    killStarted();
    fs.rmSync(home, { recursive: true, force: true });
  });

  /** Starts `command` in the copy of the project (in its own process group, as a terminal would), until it serves. */
  async function serve(command: string, args: string[]): Promise<{ server: Started; url: string; processes: number[] }> {
    const server = start(command, args, { cwd: clone, env: childEnv({ DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: TOKEN }), detached: true });
    const url = await servingUrl(server);
    const processes = [server.pid, ...descendantsOf(server.pid)];
    return { server, url, processes };
  }

  async function expectStoppedCleanly(server: Started, processes: number[]): Promise<void> {
    expect(await server.exited).toBe(0);
    expect(await stillRunningAfter(processes, STOP_DEADLINE_MS)).toEqual([]);
    expect(problemLines(server)).toEqual([]);
    expect(server.lines().some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }

  it('SIGTERM to `npm start` ends node and PostgreSQL', async () => {
    const { server, url, processes } = await serve('npm', ['start']);
    expect(processes.length).toBeGreaterThanOrEqual(3); // npm, node, PostgreSQL (and its workers)
    const created = await graphql<{ createService: { service: { id: string } } }>(
      url,
      TOKEN,
      'mutation { createService(input: {name: "Stop", slug: "stop"}) { service { id } } }',
    );
    serviceId = created.createService.service.id;

    process.kill(server.pid, 'SIGTERM');
    await expectStoppedCleanly(server, processes);
  });

  it('Ctrl-C on `npm start` (SIGINT to its process group) ends everything without a warning, and the data is reused', async () => {
    // Built by the test before; --ignore-scripts skips only that build (prestart), the start script is the same.
    const { server, url, processes } = await serve('npm', ['start', '--ignore-scripts']);
    const { service } = await graphql<{ service: { slug: string } }>(url, TOKEN, 'query($id: ID!) { service(id: $id) { slug } }', { id: serviceId });
    expect(service.slug).toBe('stop');

    process.kill(-server.pid, 'SIGINT');
    await expectStoppedCleanly(server, processes);
  });

  it('SIGTERM to `node dist/src/main.js` (what a process manager runs) ends everything without a warning', async () => {
    const { server, processes } = await serve(process.execPath, [...SERVER_NODE_FLAGS, 'dist/src/main.js']);
    process.kill(server.pid, 'SIGTERM');
    await expectStoppedCleanly(server, processes);
  });
});
