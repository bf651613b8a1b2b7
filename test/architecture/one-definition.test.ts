import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { SRC, sourceFiles } from './import-graph';

const sources = sourceFiles().map((file) => ({ path: relative(SRC, file), text: readFileSync(file, 'utf8') }));

/** Modules of src/ whose text matches, but for the one allowed to. */
function definedOutside(pattern: RegExp, home: string | ((path: string) => boolean)): string[] {
  const allowed = typeof home === 'string' ? (path: string) => path === home : home;
  return sources.filter(({ path, text }) => !allowed(path) && pattern.test(text)).map(({ path }) => path);
}

const SHARED_ENUMS = sources.find(({ path }) => path === 'shared/enums.ts')!.text;
const ENUM_NAMES = [...SHARED_ENUMS.matchAll(/^export (?:enum|const) (\w+)/gm)].map((match) => match[1]);
/** Each value list of a const-object enum (AlertStatus: FIRING, RESOLVED). */
const ENUM_VALUES = [...SHARED_ENUMS.matchAll(/^export const \w+ = \{([^}]*)\} as const;/gm)].map((match) => [...match[1].matchAll(/'(\w+)'/g)].map((value) => value[1]));

describe('One definition each', () => {
  it('declares the E.164 pattern only in shared/phone.ts', () => {
    expect(definedOutside(/\\\+\[1-9\]/, 'shared/phone.ts')).toEqual([]);
  });

  it("maps PostgreSQL's unique violation (23505) only in db/error-code.ts", () => {
    expect(definedOutside(/23505/, 'db/error-code.ts')).toEqual([]);
  });

  it('checks that a person exists only in services/person-exists.ts', () => {
    expect(definedOutside(/`person \$\{[^}]+\} does not exist`/, 'services/person-exists.ts')).toEqual([]);
  });

  it('declares each enum only in shared/enums.ts', () => {
    expect(ENUM_NAMES).toEqual(expect.arrayContaining(['AlertSeverity', 'AlertStatus', 'ChannelKind', 'Vendor', 'Priority', 'Role']));
    const redeclared = ENUM_NAMES.flatMap((name) => definedOutside(new RegExp(`^(?:export\\s+)?(?:enum|type|interface|class|const)\\s+${name}\\b`, 'm'), 'shared/enums.ts').map((path) => `${name} in ${path}`));
    expect(redeclared).toEqual([]);
  });

  it('spells no enum out again as a union of its values', () => {
    const unions = ENUM_VALUES.flatMap((values) => {
      const value = `'(?:${values.join('|')})'`;
      return definedOutside(new RegExp(`${value}\\s*\\|\\s*${value}`), 'shared/enums.ts').map((path) => `${values.join('|')} in ${path}`);
    });
    expect(unions).toEqual([]);
  });

  it('keeps every SQL statement of intake in ingest/alert-sql.ts', () => {
    expect(definedOutside(/\.query\(|createQueryBuilder|getRepository/, (path) => !path.startsWith('ingest/') || path === 'ingest/alert-sql.ts')).toEqual([]);
  });
});
