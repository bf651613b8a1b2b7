import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NORMALIZERS } from '../../src/ingest/vendors';
import { SRC } from './import-graph';

/** First words that are ordinary words (STATUS of STATUS_FEED): such a vendor is named by its whole name. */
const ORDINARY_WORDS = new Set(['STATUS']);
const nameOf = (vendor: string) => (ORDINARY_WORDS.has(vendor.split('_')[0]) ? vendor : vendor.split('_')[0]);
/** Words that name a vendor: each registered vendor's first word (AZURE of AZURE_MONITOR), and PagerDuty's format. */
const VENDOR_WORDS = [...new Set([...Object.keys(NORMALIZERS).filter((vendor) => vendor !== 'GENERIC').map(nameOf), 'PAGERDUTY'])];

function vendorsNamedIn(text: string): string[] {
  return VENDOR_WORDS.filter((word) => new RegExp(`\\b${word}`, 'i').test(text));
}

describe('Webhook processor', () => {
  it('names no vendor: what a vendor does differently is in its normalizer’s hooks', () => {
    expect(vendorsNamedIn(readFileSync(join(SRC, 'ingest/webhook-processor.ts'), 'utf8'))).toEqual([]);
  });

  it('would be caught naming one', () => {
    expect(vendorsNamedIn("if (integration.vendor === 'TWILIO') verifyTwilioSignature(); // SAP field map")).toEqual(['TWILIO', 'SAP']);
  });
});
