/**
 * The public reads: each query selects only columns a public surface may show (plus the internal ids the reader turns
 * into public ids). Nothing here reads notes, the timeline, people, alerts' labels or payloads, or integrations.
 */
import type { EntityManager } from 'typeorm';
import type { ComponentImpact, IncidentSource, IncidentStatus, MaintenanceImpact, MaintenanceStatus, Priority, StatusPageKind } from '../../shared/enums';

type Queryable = Pick<EntityManager, 'query'>;

export interface PageRow {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  time_zone: string;
  kind: StatusPageKind;
  updated_at: Date;
}

export interface ComponentRow {
  service_id: string;
  name: string;
  description: string | null;
  group_name: string | null;
  position: number | null;
  provider_name: string | null;
  provider_url: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface IncidentRow {
  id: string;
  title: string;
  status: IncidentStatus;
  priority: Priority;
  source: IncidentSource;
  service_id: string;
  opened_at: Date;
  acknowledged_at: Date | null;
  mitigated_at: Date | null;
  resolved_at: Date | null;
  updated_at: Date;
}

export interface ImpactRow {
  incident_id: string;
  service_id: string;
  impact: ComponentImpact;
}

export interface UpdateRow {
  id: string;
  incident_id: string;
  body: string;
  posted_at: Date;
  incident_status: IncidentStatus | null;
}

export interface WindowRow {
  id: string;
  title: string;
  description: string | null;
  status: MaintenanceStatus;
  starts_at: Date;
  ends_at: Date;
  announced_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  updated_at: Date;
}

export interface WindowServiceRow {
  window_id: string;
  service_id: string;
  impact: MaintenanceImpact;
}

/** At most this many incidents and windows are read for a page (the 90 days of history, the 50 latest). */
export const MAX_ROWS = 500;

export async function pageBySlug(db: Queryable, slug: string): Promise<PageRow | null> {
  const [row] = await db.query(`SELECT id, slug, title, description, time_zone, kind, updated_at FROM status_page WHERE slug = $1`, [slug]);
  return row ?? null;
}

export async function pageComponents(db: Queryable, pageId: string): Promise<ComponentRow[]> {
  return db.query(
    `SELECT ps.service_id, s.name, s.description, ps.group_name, ps.position, ps.provider_name, ps.provider_url, s.created_at, s.updated_at
       FROM status_page_service ps JOIN service s ON s.id = ps.service_id
      WHERE ps.page_id = $1
      ORDER BY ps.group_name NULLS FIRST, ps.position NULLS LAST, s.name, s.id`,
    [pageId],
  );
}

/**
 * Incidents affecting any of `serviceIds` that a page of `kind` shows, open or active since `since`: on SERVICES pages
 * those with a PUBLIC update and a source other than PROVIDER, on PROVIDERS pages those with source PROVIDER.
 * An incident affects the services of its component impacts, or its own service when it states none. History covers
 * incidents opened within the window or still open.
 */
export async function pageIncidents(db: Queryable, serviceIds: string[], kind: StatusPageKind, since: Date): Promise<IncidentRow[]> {
  if (!serviceIds.length) return [];
  // Candidates through indexes (opened since, on the page's services; open anywhere; stated impacts on them), so a
  // page costs the same with a million old incidents; the filters then keep those the page shows.
  return db.query(
    `WITH candidate AS (
       SELECT id FROM incident WHERE service_id = ANY($1) AND opened_at >= $3
       UNION SELECT id FROM incident WHERE status IN ('TRIGGERED','ACKNOWLEDGED','MITIGATED')
       UNION SELECT incident_id FROM incident_component_impact WHERE service_id = ANY($1)
     )
     SELECT i.id, i.title, i.status, i.priority, i.source, i.service_id, i.opened_at, i.acknowledged_at, i.mitigated_at, i.resolved_at, i.updated_at
       FROM candidate JOIN incident i ON i.id = candidate.id
      WHERE (EXISTS (SELECT 1 FROM incident_component_impact c WHERE c.incident_id = i.id AND c.service_id = ANY($1))
             OR (i.service_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM incident_component_impact c WHERE c.incident_id = i.id)))
        AND (i.resolved_at IS NULL OR i.resolved_at >= $3)
        AND CASE WHEN $2 = 'PROVIDERS' THEN i.source = 'PROVIDER'
                 ELSE i.source <> 'PROVIDER' AND EXISTS (SELECT 1 FROM status_update u WHERE u.incident_id = i.id AND u.audience = 'PUBLIC') END
      ORDER BY i.opened_at DESC, i.id DESC
      LIMIT ${MAX_ROWS}`,
    [serviceIds, kind, since],
  );
}

export async function incidentById(db: Queryable, incidentId: string): Promise<IncidentRow | null> {
  const [row] = await db.query(
    `SELECT id, title, status, priority, source, service_id, opened_at, acknowledged_at, mitigated_at, resolved_at, updated_at FROM incident WHERE id = $1`,
    [incidentId],
  );
  return row ?? null;
}

export async function componentImpacts(db: Queryable, incidentIds: string[]): Promise<ImpactRow[]> {
  if (!incidentIds.length) return [];
  return db.query(`SELECT incident_id, service_id, impact FROM incident_component_impact WHERE incident_id = ANY($1)`, [incidentIds]);
}

export async function publicUpdates(db: Queryable, incidentIds: string[]): Promise<UpdateRow[]> {
  if (!incidentIds.length) return [];
  return db.query(
    `SELECT id, incident_id, body, posted_at, incident_status FROM status_update
      WHERE incident_id = ANY($1) AND audience = 'PUBLIC' ORDER BY posted_at DESC, id DESC`,
    [incidentIds],
  );
}

/** The public id of each incident's RCA that has a published version (the public view shows it). */
export async function publishedRcas(db: Queryable, incidentIds: string[]): Promise<Map<string, string>> {
  if (!incidentIds.length) return new Map();
  const rows: Array<{ incident_id: string; public_id: string }> = await db.query(
    `SELECT incident_id, public_id FROM rca_document WHERE incident_id = ANY($1) AND published_version IS NOT NULL AND public_id IS NOT NULL`,
    [incidentIds],
  );
  return new Map(rows.map((row) => [row.incident_id, row.public_id]));
}

/** The provider's own link for each PROVIDER incident: the latest URL its status page sent (the incident's shortlink). */
export async function providerLinks(db: Queryable, incidentIds: string[]): Promise<Map<string, string>> {
  if (!incidentIds.length) return new Map();
  const rows: Array<{ incident_id: string; url: string }> = await db.query(
    `SELECT DISTINCT ON (incident_id) incident_id, url FROM alert
      WHERE incident_id = ANY($1) AND url ~ '^https?://' ORDER BY incident_id, last_seen_at DESC`,
    [incidentIds],
  );
  return new Map(rows.map((row) => [row.incident_id, row.url]));
}

/** Windows with an impact on one of `serviceIds`: scheduled or in progress, or since `since`. */
export async function pageWindows(db: Queryable, serviceIds: string[], since: Date): Promise<WindowRow[]> {
  if (!serviceIds.length) return [];
  return db.query(
    `SELECT w.id, w.title, w.description, w.status, w.starts_at, w.ends_at, w.announced_at, w.started_at, w.completed_at, w.cancelled_at, w.updated_at
       FROM maintenance_window w
      WHERE EXISTS (SELECT 1 FROM maintenance_window_service ws WHERE ws.window_id = w.id AND ws.service_id = ANY($1) AND ws.impact <> 'NONE')
        AND (w.status IN ('SCHEDULED','IN_PROGRESS') OR w.starts_at >= $2 OR w.ends_at >= $2)
      ORDER BY w.starts_at DESC, w.id DESC
      LIMIT ${MAX_ROWS}`,
    [serviceIds, since],
  );
}

export async function windowById(db: Queryable, windowId: string): Promise<WindowRow | null> {
  const [row] = await db.query(
    `SELECT id, title, description, status, starts_at, ends_at, announced_at, started_at, completed_at, cancelled_at, updated_at FROM maintenance_window WHERE id = $1`,
    [windowId],
  );
  return row ?? null;
}

/** The public services each window affects (impact ≠ NONE). */
export async function windowServices(db: Queryable, windowIds: string[]): Promise<WindowServiceRow[]> {
  if (!windowIds.length) return [];
  return db.query(
    `SELECT ws.window_id, ws.service_id, ws.impact FROM maintenance_window_service ws JOIN service s ON s.id = ws.service_id AND s.public
      WHERE ws.window_id = ANY($1) AND ws.impact <> 'NONE'`,
    [windowIds],
  );
}

/** Names of public services, for the components of single incidents and windows (messages). */
export async function publicServiceNames(db: Queryable, serviceIds: string[]): Promise<Map<string, string>> {
  if (!serviceIds.length) return new Map();
  const rows: Array<{ id: string; name: string }> = await db.query(`SELECT id, name FROM service WHERE id = ANY($1) AND public`, [serviceIds]);
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function pagesShowing(db: Queryable, serviceIds: string[], kind: StatusPageKind): Promise<string[]> {
  if (!serviceIds.length) return [];
  const rows: Array<{ slug: string }> = await db.query(
    `SELECT DISTINCT p.slug FROM status_page p JOIN status_page_service ps ON ps.page_id = p.id WHERE ps.service_id = ANY($1) AND p.kind = $2 ORDER BY p.slug`,
    [serviceIds, kind],
  );
  return rows.map((row) => row.slug);
}
