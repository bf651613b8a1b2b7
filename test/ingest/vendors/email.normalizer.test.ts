import { DESCRIPTION_MAX_LENGTH } from '../../../src/ingest/normalized-alert';
import { NORMALIZERS } from '../../../src/ingest/vendors';
import { defaultDedupKey } from '../../../src/ingest/vendors/email.normalizer';
import { fromFixture, normalize } from './normalizer-fixtures';

const mail = (subject: string, text: string | null = null) => ({ subject, from: 'nagios@example.com', text, messageId: null, date: null });
const withPattern = (pattern: string) => NORMALIZERS.EMAIL.forIntegration!({ emailDedupPattern: pattern })!;

describe('E-mail normalizer', () => {
  it('keeps the subject as summary, the text as description and the sender as source', () => {
    const [alert] = fromFixture('EMAIL', 'email/firing.json');
    expect(alert).toMatchObject({
      status: 'FIRING',
      summary: 'PROBLEM: Disk usage 91% on db-1 since 2026-03-01 12:03:44',
      description: 'Host: db-1\nItem: /var free space\nValue: 9%',
      source: 'zabbix@monitoring.example.com',
    });
  });

  it('resolves the alert of the same subject with a resolving prefix', () => {
    const [firing] = fromFixture('EMAIL', 'email/firing.json');
    const [resolved] = fromFixture('EMAIL', 'email/resolved.json');
    expect(resolved.status).toBe('RESOLVED');
    expect(resolved.fingerprint).toBe(firing.fingerprint);
  });

  it.each([
    ['RESOLVED: db-1 down', 'RESOLVED'],
    ['[OK] db-1 down', 'RESOLVED'],
    ['ok: db-1 down', 'RESOLVED'],
    ['[Resolved:2] db-1 down', 'RESOLVED'],
    ['** RECOVERY: db-1 down', 'FIRING'],
    ['[FIRING:1] db-1 down', 'FIRING'],
    ['db-1 down: OK', 'FIRING'],
    ['Note: db-1 down', 'FIRING'],
  ])('reads the status of "%s" as %s', (subject, status) => {
    expect(normalize('EMAIL', mail(subject))[0].status).toBe(status);
  });

  it.each([
    ['Disk 91% full on db-1 at 12:03', 'Disk 95% full on db-1 at 12:09:59'],
    ['Job 1234 failed on 2026-03-01T12:00:00Z', 'Job 1299 failed on 2026-03-02T00:10:00+01:00'],
    ['Backup failed (01.03.2026)', 'Backup failed (2/3/26)'],
    ['Report for Tue, 3 Mar 2026 late', 'Report for Wed, 4 Mar 2026 late'],
    ['Request 3f2a9c1e-7b44-4d2a-9a51-0c6f1d2e3b4a timed out', 'Request 0b8e6f14-1c2d-4e3f-8a9b-7c6d5e4f3a2b timed out'],
    ['Deploy of a1b2c3d4e5 failed', 'Deploy of 9f8e7d6c5b failed'],
    ['Error 0x1F at   offset  12', 'Error 0x2E at offset 99'],
  ])('gives "%s" and "%s" one dedup key', (first, second) => {
    expect(defaultDedupKey(first)).toBe(defaultDedupKey(second));
    expect(normalize('EMAIL', mail(first))[0].fingerprint).toBe(normalize('EMAIL', mail(second))[0].fingerprint);
  });

  it.each([
    ['Disk full on db-1', 'Disk full on db-2'],
    ['Host 10.0.0.1 down', 'Host 10.0.0.2 down'],
    ['web01 slow', 'web02 slow'],
    ['Disk full', 'Memory full'],
  ])('keeps "%s" and "%s" apart', (first, second) => {
    expect(defaultDedupKey(first)).not.toBe(defaultDedupKey(second));
  });

  it('collapses white space and keeps the rest of the subject as the key', () => {
    expect(defaultDedupKey('  Disk 91%   full\ton db-1 ')).toBe('Disk % full on db-1');
    expect(normalize('EMAIL', mail('Disk 91% full on db-1'))[0].details).toMatchObject({ dedupKey: 'Disk % full on db-1' });
  });

  it('keys a subject of numbers only by the subject itself', () => {
    expect(defaultDedupKey('12345')).toBe('12345');
  });

  it('keys by the first capture group of the integration pattern, on the subject without its status prefix', () => {
    const normalizer = withPattern('on host (\\S+)');
    const request = (subject: string) => ({ headers: {}, body: mail(subject), contentType: 'json' as const });
    const [first] = normalizer.normalize(request('CPU high on host db-1'));
    const [second] = normalizer.normalize(request('Disk full on host db-1'));
    const [resolved] = normalizer.normalize(request('RESOLVED: memory on host db-1'));
    const [other] = normalizer.normalize(request('CPU high on host db-2'));
    expect(first.details.dedupKey).toBe('db-1');
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(resolved).toMatchObject({ status: 'RESOLVED', fingerprint: first.fingerprint });
    expect(other.fingerprint).not.toBe(first.fingerprint);
  });

  it('falls back to the default key when the pattern does not match', () => {
    const [alert] = withPattern('ticket #(\\d+)').normalize({ headers: {}, body: mail('Disk 91% full'), contentType: 'json' });
    expect(alert.details.dedupKey).toBe('Disk % full');
  });

  it('names a mail without subject and cuts a long text at the description limit', () => {
    const [alert] = normalize('EMAIL', mail('', 'x'.repeat(DESCRIPTION_MAX_LENGTH + 100)));
    expect(alert.summary).toBe('(no subject)');
    expect(alert.description).toHaveLength(DESCRIPTION_MAX_LENGTH);
    expect(alert.description!.endsWith('…')).toBe(true);
  });
});
