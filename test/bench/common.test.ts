import { boundedNumber, listFromEnv, markdownTable, numberFromEnv, percentile, redactPassword } from '../../scripts/bench/common';

describe('bench helpers', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads a bounded number, naming the setting and what it accepts when the value is out of bounds', () => {
    expect(boundedNumber('BENCH_X', '7', { min: 1, max: 10 })).toBe(7);
    expect(boundedNumber('BENCH_X', '2.5', { min: 1, max: 10, integer: false })).toBe(2.5);
    expect(() => boundedNumber('BENCH_X', '2.5', { min: 1, max: 10 })).toThrow('BENCH_X must be an integer 1…10, got "2.5"');
    expect(() => boundedNumber('BENCH_X', '11', { min: 1, max: 10 })).toThrow('BENCH_X must be an integer 1…10, got "11"');
    expect(() => boundedNumber('BENCH_X', 'ten', { min: 1, max: 10, integer: false })).toThrow('BENCH_X must be a number 1…10, got "ten"');
  });

  it('falls back to the default when the variable is unset, and lists comma-separated entries without empty ones', () => {
    delete process.env.BENCH_TEST_SECONDS;
    expect(numberFromEnv('BENCH_TEST_SECONDS', 20, { min: 1, max: 300 })).toBe(20);
    process.env.BENCH_TEST_SECONDS = '0';
    expect(() => numberFromEnv('BENCH_TEST_SECONDS', 20, { min: 1, max: 300 })).toThrow('BENCH_TEST_SECONDS must be an integer 1…300, got "0"');
    process.env.BENCH_TEST_LIST = ' 4, 8,,16 ';
    expect(listFromEnv('BENCH_TEST_LIST')).toEqual(['4', '8', '16']);
    delete process.env.BENCH_TEST_LIST;
    expect(listFromEnv('BENCH_TEST_LIST')).toEqual([]);
  });

  it('takes the nearest-rank percentile, NaN when there is nothing to rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([3], 0.99)).toBe(3);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('hides a password and formats a Markdown table', () => {
    expect(redactPassword('postgres://bench:s3cret@db:5432/test')).toBe('postgres://bench:***@db:5432/test');
    expect(redactPassword('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(markdownTable(['a', 'b'], [['1', '2']])).toEqual(['| a | b |', '|---|---|', '| 1 | 2 |']);
  });
});
