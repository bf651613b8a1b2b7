import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { TestApp } from './test-app';

/** A recorded request body (test/fixtures/<relative>), without its top-level `_` notes. */
export function fixtureBody(relative: string): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', relative), 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('_')));
}

/** A service and an integration of `vendor` for it, made through the GraphQL API; returns the integration's key. */
export async function serviceWithIntegration(t: TestApp, slug: string, vendor: 'GENERIC' | 'OPSGENIE', options: Record<string, unknown> = {}) {
  const service = await t.gql<{ createService: { service: { id: string } } }>(`mutation($slug: String!) { createService(input: { name: $slug, slug: $slug }) { service { id } } }`, { slug });
  expect(service.errors).toBeUndefined();
  const serviceId = service.data!.createService.service.id;
  const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
    `mutation($s: ID!, $o: JSONObject) { createIntegration(input: { name: "${slug}", vendor: ${vendor}, serviceId: $s, options: $o }) { integration { id } secret } }`,
    { s: serviceId, o: options },
  );
  expect(created.errors).toBeUndefined();
  return { serviceId, id: created.data!.createIntegration.integration.id, key: created.data!.createIntegration.secret };
}

export interface AlertRow {
  id: string;
  fingerprint: string;
  status: string;
  severity: string;
  summary: string;
  labels: Record<string, string>;
  details: Record<string, unknown>;
  incident_id: string | null;
  incident_status: string | null;
  incident_priority: string | null;
}

/** An integration's alerts with their incidents, oldest first. */
export async function alertsOf(t: TestApp, integrationId: string): Promise<AlertRow[]> {
  return t.app.db.query(
    `SELECT a.id, a.fingerprint, a.status, a.severity, a.summary, a.labels, a.details, a.incident_id, i.status AS incident_status, i.priority AS incident_priority
       FROM alert a LEFT JOIN incident i ON i.id = a.incident_id WHERE a.integration_id = $1 ORDER BY a.first_seen_at, a.id`,
    [integrationId],
  );
}

/** incident_bridge_ingest_requests_total for one vendor and outcome. */
export async function ingestCount(t: TestApp, vendor: string, outcome: string): Promise<number> {
  const text = (await request(t.url).get('/metrics')).text;
  return Number(new RegExp(`incident_bridge_ingest_requests_total\\{vendor="${vendor}",outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}
