import { SUMMARY_MAX_LENGTH } from '../../../src/ingest/normalized-alert';
import { NORMALIZERS } from '../../../src/ingest/vendors';
import { deepFreeze, fixtureCases, fromFixture, readJson, requestFor } from './normalizer-fixtures';

describe('Vendor normalizers against recorded payloads', () => {
  it('has fixtures for every vendor in the registry', () => {
    const covered = new Set(fixtureCases.map(([vendor]) => vendor));
    expect([...covered].sort()).toEqual(Object.keys(NORMALIZERS).sort());
  });

  it.each(fixtureCases)('%s normalizes %s to its expectation', (vendor, relative) => {
    const expected = readJson(relative.replace(/\.json$/, '.expected.json'));
    const actual = JSON.parse(JSON.stringify(fromFixture(vendor, relative)));
    expect(actual).toEqual(expected);
  });

  it.each(fixtureCases)('%s leaves the %s body untouched and returns Dates', (vendor, relative) => {
    const request = requestFor(relative);
    const pristine = structuredClone(request.body);
    const alerts = NORMALIZERS[vendor].normalize(deepFreeze(request));
    expect(request.body).toEqual(pristine);
    for (const alert of alerts) {
      for (const date of [alert.startsAt, alert.endsAt]) expect(date === null || date instanceof Date).toBe(true);
      expect(alert.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
      expect(alert.summary).not.toMatch(/[\r\n]/);
    }
  });
});

describe('Normalizer registry', () => {
  it('maps every vendor to the normalizer for that vendor', () => {
    for (const [vendor, normalizer] of Object.entries(NORMALIZERS)) expect(normalizer.vendor).toBe(vendor);
  });

  it('accepts form bodies only for Twilio', () => {
    const formVendors = Object.values(NORMALIZERS)
      .filter((normalizer) => normalizer.accepts.includes('form'))
      .map((normalizer) => normalizer.vendor);
    expect(formVendors).toEqual(['TWILIO']);
  });
});
