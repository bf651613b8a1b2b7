import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PayloadSchemaError, type NormalizedAlert, type NormalizerRequest } from '../../../src/ingest/normalized-alert';
import type { Vendor } from '../../../src/shared/enums';
import { NORMALIZERS } from '../../../src/ingest/vendors';

/** What the per-vendor normalizer tests share: the recorded payloads and small helpers around them. */
export const FIXTURES_ROOT = path.join(__dirname, '..', '..', 'fixtures');

/** Fixture directory → vendor. Each `<name>.json` is paired with `<name>.expected.json`. */
export const FIXTURE_DIRS: Readonly<Record<string, Vendor>> = {
  alertmanager: 'ALERTMANAGER',
  grafana: 'GRAFANA',
  'azure-monitor': 'AZURE_MONITOR',
  twilio: 'TWILIO',
  'sap-alert-notification': 'SAP_ALERT_NOTIFICATION',
  statuspage: 'STATUSPAGE',
  generic: 'GENERIC',
  opsgenie: 'OPSGENIE',
  email: 'EMAIL',
  'status-feeds': 'STATUS_FEED',
};

export const readJson = (relative: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES_ROOT, relative), 'utf8'));

/** A fixture is the request body; top-level `_` keys are notes (`_source`) or the content type (`_contentType`). */
export function requestFor(relative: string): NormalizerRequest {
  const raw = readJson(relative) as Record<string, unknown>;
  const body = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('_')));
  return { headers: {}, body, contentType: raw._contentType === 'form' ? 'form' : 'json' };
}

export const fixtureCases: Array<[Vendor, string]> = Object.entries(FIXTURE_DIRS).flatMap(([dir, vendor]) =>
  readdirSync(path.join(FIXTURES_ROOT, dir))
    .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
    .sort()
    .map((file): [Vendor, string] => [vendor, `${dir}/${file}`]),
);

export const normalize = (vendor: Vendor, body: unknown, contentType: 'json' | 'form' = 'json'): NormalizedAlert[] =>
  NORMALIZERS[vendor].normalize({ headers: {}, body, contentType });

export const fromFixture = (vendor: Vendor, relative: string) => NORMALIZERS[vendor].normalize(requestFor(relative));

/** A fixture body loosely typed so tests can poke any field to build invalid variants. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary vendor JSON, mutated on purpose
export type Body = any;

/** A mutable deep copy of a fixture body, for building variants. */
export const bodyOf = (relative: string): Body => structuredClone(requestFor(relative).body);

export function schemaErrorOf(run: () => unknown): PayloadSchemaError {
  try {
    run();
  } catch (error) {
    if (error instanceof PayloadSchemaError) return error;
    throw error;
  }
  throw new Error('expected a PayloadSchemaError, but nothing was thrown');
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
