import { PayloadSchemaError } from '../../../src/ingest/normalized-alert';
import { childPath, parseIsoDate, truncate } from '../../../src/ingest/vendors/normalizer-helpers';

describe('Normalizer helpers', () => {
  it('writes JSON paths for indexes, names and keys that need quoting', () => {
    expect(childPath(childPath('alerts', 2), 'status')).toBe('alerts[2].status');
    expect(childPath('tags', 'ans:status')).toBe('tags["ans:status"]');
  });

  it('never splits a surrogate pair when truncating', () => {
    const text = `${'a'.repeat(8)}😀😀`;
    const cut = truncate(text, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
  });

  it('reads date-times with and without an offset as instants, and Go zero time as null', () => {
    expect(parseIsoDate('2015-07-17T08:42:58.315+0000', 'x')?.toISOString()).toBe('2015-07-17T08:42:58.315Z');
    expect(parseIsoDate('2015-07-17T08:42:58', 'x')?.toISOString()).toBe('2015-07-17T08:42:58.000Z');
    expect(parseIsoDate('0001-01-01T00:00:00Z', 'x')).toBeNull();
    expect(() => parseIsoDate('2015-13-45T99:99:99Z', 'x')).toThrow(PayloadSchemaError);
  });
});
