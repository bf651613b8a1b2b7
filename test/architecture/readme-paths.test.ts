import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** README's architecture section and "where to find things" table name files; a move must not leave them stale. */
describe('README architecture', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('## Performance'));

  it('names only files and folders that exist', () => {
    const named = [...section.matchAll(/`(src\/[^`<>*]+|migrations\/)`/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('names files of a folder the table already entered by their bare names only where they exist there', () => {
    // e.g. "`src/graphql/document-shape.ts`, `operation-cost.ts`": bare names belong to the folder before them.
    const missing: string[] = [];
    for (const line of section.split('\n').filter((text) => text.startsWith('| '))) {
      let folder: string | null = null;
      for (const [, path] of line.matchAll(/`([^`]+)`/g)) {
        if (path.startsWith('src/')) folder = path.endsWith('/') ? path : path.slice(0, path.lastIndexOf('/') + 1);
        else if (folder && /^[a-z-]+(\.[a-z]+)*\.ts$/.test(path) && !existsSync(join(ROOT, folder, path))) missing.push(`${folder}${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
