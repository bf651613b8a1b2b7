import { createLogger } from '../../src/logger';

/** What one call of `log` writes, parsed (pino's JSON line). */
function logged(log: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
  const lines: string[] = [];
  log(createLogger('info', { write: (line: string) => void lines.push(line) }));
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe('logger', () => {
  it('logs an err that is not an Error (a thrown string, null, a number) as its text instead of throwing', () => {
    expect(logged((log) => log.warn({ err: 'connection lost to https://db.example.com/?token=s3cret' }, 'listener')).err).toEqual({
      type: 'string',
      message: 'connection lost to https://db.example.com/?token=[redacted]',
    });
    expect(logged((log) => log.error({ err: null }, 'rejected')).err).toEqual({ type: 'null', message: 'null' });
    expect(logged((log) => log.error({ err: 42 }, 'rejected')).err).toEqual({ type: 'number', message: '42' });
  });

  it('still serializes an Error with its type, message and stack, URLs redacted', () => {
    const entry = logged((log) => log.error({ err: new TypeError('fetch https://hooks.example.com/x?key=abc failed') }, 'send')).err as Record<string, string>;
    expect(entry.type).toBe('TypeError');
    expect(entry.message).toBe('fetch https://hooks.example.com/x?key=[redacted] failed');
    expect(entry.stack).toContain('TypeError: fetch https://hooks.example.com/x?key=[redacted] failed');
  });
});
