import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, graphql, killStarted, problemLines, servingUrl, startTs } from './support/processes';

/** `npm run seed:demo` (and any second process) while the server runs on the embedded PostgreSQL of the same DATA_DIR. */
jest.setTimeout(120_000);

const TOKEN = `ib_${'d'.repeat(40)}`;

describe('a second process on the embedded database of a running server', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-seed-'));
  const env = childEnv({ DATA_DIR: path.join(home, 'data'), BOOTSTRAP_ADMIN_TOKEN: TOKEN });

  beforeAll(() => fs.chmodSync(home, 0o755)); // reachable by the postgres user when the suite runs as root
  afterAll(() => {
    killStarted();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('seed:demo uses the PostgreSQL the server started; a second server refuses plainly; the first keeps serving', async () => {
    const server = startTs('src/main.ts', env);
    try {
      const url = await servingUrl(server);

      const seed = startTs('scripts/seed-demo.ts', env);
      expect(await seed.exited).toBe(0);
      expect(seed.lines().join('\n')).toContain('schedule "Follow the sun"');

      const { schedules } = await graphql<{ schedules: { edges: Array<{ node: { name: string } }> } }>(url, TOKEN, '{ schedules(first: 5) { edges { node { name } } } }');
      expect(schedules.edges.map((edge) => edge.node.name)).toEqual(['Follow the sun']);

      const second = startTs('src/main.ts', env);
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toContain(`PostgreSQL is already running in ${path.join(home, 'data', 'postgres')}`);
      expect(second.stderr()).not.toContain('    at ');

      const { me } = await graphql<{ me: { role: string } }>(url, TOKEN, '{ me { role } }');
      expect(me.role).toBe('ADMIN');
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    expect(problemLines(server)).toEqual([]);
  });
});
