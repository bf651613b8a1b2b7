import type { DataSource, EntityManager } from 'typeorm';
import { ComponentImpact } from '../schema/enums';
import { badInput } from '../shared/domain-error';
import { requireUuid } from './validation';

export interface ComponentImpactInput {
  serviceId: string;
  impact: ComponentImpact;
}

export interface StoredComponentImpact extends ComponentImpactInput {
  incidentId: string;
}

const MAX_COMPONENTS = 50;

/** Checks a list of stated impacts: at most 50, one per service, services that exist (named by index when not). */
export async function validComponentImpacts(manager: EntityManager, impacts: readonly ComponentImpactInput[]): Promise<ComponentImpactInput[]> {
  if (impacts.length > MAX_COMPONENTS) throw badInput('componentImpacts', `at most ${MAX_COMPONENTS} components`);
  const seen = new Set<string>();
  impacts.forEach((entry, index) => {
    requireUuid(`componentImpacts[${index}].serviceId`, entry.serviceId);
    if (!Object.values(ComponentImpact).includes(entry.impact)) throw badInput(`componentImpacts[${index}].impact`, `unknown impact ${String(entry.impact)}`);
    if (seen.has(entry.serviceId)) throw badInput(`componentImpacts[${index}].serviceId`, `service ${entry.serviceId} is given twice`);
    seen.add(entry.serviceId);
  });
  if (!impacts.length) return [];
  const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM service WHERE id = ANY($1)`, [[...seen]]);
  const found = new Set(rows.map((row) => row.id));
  const missing = impacts.findIndex((entry) => !found.has(entry.serviceId));
  if (missing >= 0) throw badInput(`componentImpacts[${missing}].serviceId`, `service ${impacts[missing].serviceId} does not exist`);
  return impacts.map(({ serviceId, impact }) => ({ serviceId, impact }));
}

/** Replaces an incident's stated impacts (inside the caller's transaction). */
export async function replaceComponentImpacts(manager: EntityManager, incidentId: string, impacts: readonly ComponentImpactInput[]): Promise<void> {
  await manager.query(`DELETE FROM incident_component_impact WHERE incident_id = $1`, [incidentId]);
  if (!impacts.length) return;
  await manager.query(
    `INSERT INTO incident_component_impact (incident_id, service_id, impact) SELECT $1, * FROM unnest($2::uuid[], $3::text[])`,
    [incidentId, impacts.map((entry) => entry.serviceId), impacts.map((entry) => entry.impact)],
  );
}

export async function componentImpactsOf(manager: Pick<DataSource, 'query'>, incidentId: string): Promise<ComponentImpactInput[]> {
  const rows: Array<{ service_id: string; impact: ComponentImpact }> = await manager.query(
    `SELECT service_id, impact FROM incident_component_impact WHERE incident_id = $1 ORDER BY service_id`,
    [incidentId],
  );
  return rows.map((row) => ({ serviceId: row.service_id, impact: row.impact }));
}

/** Batch read for the GraphQL loader. */
export async function componentImpactsOfMany(db: Pick<DataSource, 'query'>, incidentIds: readonly string[]): Promise<StoredComponentImpact[]> {
  const rows: Array<{ incident_id: string; service_id: string; impact: ComponentImpact }> = await db.query(
    `SELECT incident_id, service_id, impact FROM incident_component_impact WHERE incident_id = ANY($1) ORDER BY incident_id, service_id`,
    [[...incidentIds]],
  );
  return rows.map((row) => ({ incidentId: row.incident_id, serviceId: row.service_id, impact: row.impact }));
}
