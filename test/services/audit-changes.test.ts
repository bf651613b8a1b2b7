import { diffFields } from '../../src/services/audit-changes';

describe('diffFields', () => {
  it('keeps only the listed fields whose values differ, with both values', () => {
    expect(diffFields({ name: 'A', slug: 'a', public: false, internal: 1 }, { name: 'B', slug: 'a', public: true, internal: 2 }, ['name', 'slug', 'public'])).toEqual({
      name: { before: 'A', after: 'B' },
      public: { before: false, after: true },
    });
  });

  it('shows a creation as null before and a deletion as null after, leaving out fields that stay empty', () => {
    expect(diffFields(null, { name: 'A', description: null }, ['name', 'description'])).toEqual({ name: { before: null, after: 'A' } });
    expect(diffFields({ name: 'A', description: undefined }, undefined, ['name', 'description'])).toEqual({ name: { before: 'A', after: null } });
  });

  it('compares dates, arrays and objects by value, objects in any key order, and writes dates as ISO-8601', () => {
    const at = '2026-03-14T01:47:00.000Z';
    expect(diffFields({ at: new Date(at), steps: [{ a: 1, b: 2 }] }, { at: new Date(at), steps: [{ b: 2, a: 1 }] }, ['at', 'steps'])).toEqual({});
    expect(diffFields({ at: null, ids: ['x', 'y'] }, { at: new Date(at), ids: ['y', 'x'] }, ['at', 'ids'])).toEqual({
      at: { before: null, after: at },
      ids: { before: ['x', 'y'], after: ['y', 'x'] },
    });
  });

  it('shows a changed secret only as "[redacted]", and one that is set or cleared as null on the empty side', () => {
    expect(diffFields({ secret: 'old-plaintext' }, { secret: 'new-plaintext' }, ['secret'], { secret: ['secret'] })).toEqual({ secret: { before: '[redacted]', after: '[redacted]' } });
    expect(diffFields({ credential: null }, { credential: 'token' }, ['credential'], { secret: ['credential'] })).toEqual({ credential: { before: null, after: '[redacted]' } });
    expect(diffFields({ credential: 'same' }, { credential: 'same' }, ['credential'], { secret: ['credential'] })).toEqual({});
  });
});
