import { NormalizationMemo } from '../../src/ingest/normalization-memo';
import type { NormalizedAlert } from '../../src/ingest/normalized-alert';

function alert(fingerprint: string): NormalizedAlert {
  return {
    fingerprint,
    groupKey: 'g',
    status: 'FIRING',
    severity: 'WARNING',
    vendorSeverity: 'warning',
    kind: 'ALERT',
    summary: 'disk full',
    description: null,
    source: 'node-1',
    labels: { alertname: 'DiskFull' },
    annotations: { summary: 'disk full' },
    url: null,
    startsAt: new Date('2026-11-01T10:00:00Z'),
    endsAt: null,
    details: { receiver: 'ops', nested: { values: [1, 2] } },
  };
}

describe('normalization memo', () => {
  it('gives back the alerts of an identical body, frozen so no request can change them for the next', () => {
    const memo = new NormalizationMemo();
    const integration = {};
    const kept = memo.remember(integration, '{"a":1}', [alert('x')]);
    const again = memo.get(integration, '{"a":1}');
    expect(again).toBe(kept);
    expect(again![0]).toEqual(alert('x'));
    expect(() => {
      (again![0].labels as Record<string, string>).alertname = 'changed';
    }).toThrow(/read only|not extensible/);
    expect(() => {
      ((again![0].details.nested as { values: number[] }).values as number[]).push(3);
    }).toThrow(/read only|not extensible/);
    expect(() => (again as NormalizedAlert[]).push(alert('y'))).toThrow(/read only|not extensible/);
  });

  it('does not let a caller change the remembered alerts through the objects it passed in', () => {
    const memo = new NormalizationMemo();
    const integration = {};
    const original = alert('x');
    memo.remember(integration, 'body', [original]);
    (original.details.nested as { values: number[] }).values.push(99);
    expect(memo.get(integration, 'body')![0].details).toEqual({ receiver: 'ops', nested: { values: [1, 2] } });
  });

  it('keeps each integration object apart: a reloaded (changed) integration starts empty', () => {
    const memo = new NormalizationMemo();
    const before = { id: 'i', options: { sapFieldMap: { subject: 'a' } } };
    memo.remember(before, 'body', [alert('x')]);
    const reloaded = { id: 'i', options: { sapFieldMap: { subject: 'b' } } };
    expect(memo.get(reloaded, 'body')).toBeUndefined();
    expect(memo.get(before, 'body')).toHaveLength(1);
  });

  it('forgets the least recently used bodies of any integration beyond one budget, and never keeps oversized ones', () => {
    // Each entry costs (key length) × 4: key "1:aaaa" is 6 characters → 24; the budget holds two.
    const memo = new NormalizationMemo(50, 6);
    const first = {};
    const second = {};
    memo.remember(first, 'aaaa', [alert('a')]);
    memo.remember(second, 'bbbb', [alert('b')]);
    expect(memo.get(first, 'aaaa')).toHaveLength(1); // now the most recently used
    memo.remember(first, 'cccc', [alert('c')]);
    expect(memo.get(second, 'bbbb')).toBeUndefined();
    expect(memo.get(first, 'aaaa')).toHaveLength(1);
    expect(memo.get(first, 'cccc')).toHaveLength(1);
    expect(memo.charged).toBeLessThanOrEqual(50);
    const oversized = memo.remember(first, 'ddddddd', [alert('d')]);
    expect(oversized).toHaveLength(1);
    expect(memo.get(first, 'ddddddd')).toBeUndefined();
  });
});
