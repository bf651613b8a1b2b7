import { DEDUP_PATTERN_MAX_LENGTH, DEDUP_SUBJECT_MAX_LENGTH, dedupKeyByPattern, dedupPatternProblem } from '../../src/shared/email-dedup-pattern';
import { parseIntegrationOptions } from '../../src/schema/integration-options';

describe('E-mail dedup pattern', () => {
  it.each(['on host (\\S+)', '^\\[(\\w+)\\]', '(?<host>[a-z0-9-]+) is down', 'ticket #(\\d{1,8})', '(?:CPU|Memory) high on ([^ ]+)', '(db-[0-9]+)(?:\\.example\\.com)?', '([{(])'])(
    'accepts %s',
    (pattern) => expect(dedupPatternProblem(pattern)).toBeNull(),
  );

  it.each([
    ['(a+)+$', /exponential/],
    ['(\\w+\\s?)*x', /exponential/],
    ['(a|ab)*c', /exponential/],
    ['((ab)+)+', /exponential/],
    ['((?:\\d{1,3}\\.){3,})', /exponential/],
    ['(a)\\1', /backreference/],
    ['(?<x>a)\\k<x>', /backreference/],
    ['host \\S+', /capture group/],
    ['(?:host) \\S+', /capture group/],
    ['(unclosed', /not a valid regular expression/],
    [`(${'a'.repeat(DEDUP_PATTERN_MAX_LENGTH)})`, /at most 200 characters/],
  ])('refuses %s', (pattern, problem) => {
    expect(dedupPatternProblem(pattern)).toMatch(problem);
  });

  it('is checked when an integration is saved, naming the option', () => {
    expect(parseIntegrationOptions({ emailDedupPattern: 'on host (\\S+)' })).toEqual({ emailDedupPattern: 'on host (\\S+)' });
    expect(() => parseIntegrationOptions({ emailDedupPattern: '(a+)+' })).toThrow(/exponential/);
    expect(() => parseIntegrationOptions({ emailDedupPattern: 'no group' })).toThrow(expect.objectContaining({ message: expect.stringContaining('capture group') }));
  });

  it('runs on the first characters of the subject only', () => {
    const subject = `${'x'.repeat(DEDUP_SUBJECT_MAX_LENGTH)} host db-1`;
    expect(dedupKeyByPattern(/host (\S+)/, subject)).toBeNull();
    expect(dedupKeyByPattern(/host (\S+)/, 'cpu high on host db-1')).toBe('db-1');
    expect(dedupKeyByPattern(/host (\S*)/, 'host ')).toBeNull();
  });
});
