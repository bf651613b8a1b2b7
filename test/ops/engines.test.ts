import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const ROOT = path.join(__dirname, '../..');

interface LockFile {
  packages: Record<string, { engines?: { node?: unknown } | string[] }>;
}

/** package.json's engines must be true: `npm ci` warns EBADENGINE for every package that admits fewer Node versions. */
describe('engines.node in package.json', () => {
  const ours = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

  it('admits only Node versions that every package in the lock file declares it runs on', () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as LockFile;
    const narrower = Object.entries(lock.packages).flatMap(([location, { engines }]) => {
      const node = engines && !Array.isArray(engines) ? engines.node : undefined;
      return location && typeof node === 'string' && !semver.subset(ours, node) ? [`${location}: ${node}`] : [];
    });
    expect(narrower).toEqual([]);
  });

  it('admits the Node running this suite (CI runs it on Node 20 and on the current LTS)', () => {
    expect(semver.satisfies(process.version, ours)).toBe(true);
  });
});
