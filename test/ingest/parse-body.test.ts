import { parseBodyText } from '../../src/ingest/parse-body';

describe('parseBodyText', () => {
  it('stores a lone surrogate as U+FFFD and keeps an escaped surrogate pair (an emoji) as it is', () => {
    const parsed = parseBodyText('json', String.raw`{"lone":"x\ud800y","trailing":"\udc00","pair":"\ud83d\ude00","key\ud800":1}`) as Record<string, string>;
    expect(parsed.lone).toBe('x\uFFFDy');
    expect(parsed.trailing).toBe('\uFFFD');
    expect(parsed.pair).toBe('😀');
    expect(Object.keys(parsed)).toContain('key\uFFFD');
  });

  it('stores U+0000 as U+FFFD in JSON (escaped) and in forms (encoded or raw)', () => {
    expect(parseBodyText('json', String.raw`{"a":"x\u0000y"}`)).toEqual({ a: 'x\uFFFDy' });
    expect(parseBodyText('form', 'a=x%00y')).toEqual({ a: 'x\uFFFDy' });
    expect(parseBodyText('form', 'a=x\u0000y')).toEqual({ a: 'x\uFFFDy' });
  });

  it('leaves ordinary bodies untouched', () => {
    expect(parseBodyText('json', '{"a":"plain","b":[1,"é"]}')).toEqual({ a: 'plain', b: [1, 'é'] });
    expect(parseBodyText('form', 'From=%2B1415&Body=ALARM')).toEqual({ From: '+1415', Body: 'ALARM' });
  });
});
