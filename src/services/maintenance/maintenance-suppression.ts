import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../../shared/actor';
import { cancelPendingPages } from '../notification-planner';
import { appendTimeline } from '../timeline.service';

/**
 * Which of these services are in a maintenance window in progress, and which window (the earliest started, when
 * windows overlap): intake records their alerts as suppressed by it. The ingest SuppressionCheck seam calls this.
 */
export async function windowsInProgress(manager: EntityManager, serviceIds: string[]): Promise<Map<string, string>> {
  if (!serviceIds.length) return new Map();
  const rows: Array<{ service_id: string; window_id: string }> = await manager.query(
    `SELECT DISTINCT ON (ws.service_id) ws.service_id, w.id AS window_id
       FROM maintenance_window_service ws JOIN maintenance_window w ON w.id = ws.window_id
      WHERE ws.service_id = ANY($1::uuid[]) AND w.status = 'IN_PROGRESS'
      ORDER BY ws.service_id, w.started_at, w.id`,
    [serviceIds],
  );
  return new Map(rows.map((row) => [row.service_id, row.window_id]));
}

/**
 * Alerts still firing under the suppression of a window that is no longer in progress: those of a service another
 * window still covers move to that window; the rest are released (suppressed = false) and returned, for intake to
 * attach at once. With `windowId`, only that window's; without, every ended window's (the job's sweep, which also
 * catches an alert an ingest batch suppressed while the window was ending).
 */
export async function releaseSuppressedAlerts(manager: EntityManager, windowId: string | null): Promise<string[]> {
  const [rows] = await manager.query(
    `WITH stale AS (
       SELECT a.id, a.service_id
         FROM alert a JOIN maintenance_window w ON w.id = a.suppressed_by
        WHERE a.suppressed AND a.status = 'FIRING' AND w.status <> 'IN_PROGRESS' AND ($1::uuid IS NULL OR w.id = $1::uuid)
        ORDER BY a.id
          FOR UPDATE OF a
     ),
     successor AS (
       SELECT DISTINCT ON (ws.service_id) ws.service_id, w.id
         FROM maintenance_window_service ws JOIN maintenance_window w ON w.id = ws.window_id
        WHERE w.status = 'IN_PROGRESS' AND ws.service_id IN (SELECT service_id FROM stale)
        ORDER BY ws.service_id, w.started_at, w.id
     )
     UPDATE alert a SET suppressed = (s.id IS NOT NULL), suppressed_by = COALESCE(s.id, a.suppressed_by)
       FROM stale LEFT JOIN successor s ON s.service_id = stale.service_id
      WHERE a.id = stale.id
     RETURNING a.id, a.suppressed`,
    [windowId],
  );
  return (rows as Array<{ id: string; suppressed: boolean }>).filter((row) => !row.suppressed).map((row) => row.id);
}

/**
 * A window starts: escalations of open incidents on its services that alerts opened (not people) pause, and their
 * pages not yet sent are cancelled. Returns how many paused.
 */
export async function pauseEscalations(manager: EntityManager, windowId: string, title: string, now: Date, actor: Actor): Promise<number> {
  const [rows] = await manager.query(
    `UPDATE incident_escalation e SET state = 'PAUSED', paused_by = $1, updated_at = $2
       FROM incident i
      WHERE i.id = e.incident_id AND e.state = 'ACTIVE' AND i.integration_id IS NOT NULL
        AND i.status IN ('TRIGGERED','ACKNOWLEDGED','MITIGATED')
        AND i.service_id IN (SELECT service_id FROM maintenance_window_service WHERE window_id = $1)
     RETURNING e.incident_id`,
    [windowId, now],
  );
  for (const { incident_id: incidentId } of rows as Array<{ incident_id: string }>) {
    const cancelled = await cancelPendingPages(manager, incidentId);
    await appendTimeline(manager, actor, {
      incidentId,
      kind: 'ESCALATION_PAUSED',
      at: now,
      message: `escalation paused: maintenance "${title}" started on this service${cancelled ? `; ${cancelled} pending notification(s) cancelled` : ''}`,
      data: { maintenanceWindowId: windowId, cancelled },
    });
  }
  return rows.length;
}

/**
 * A window ends: escalations it paused move to another window still running on the service, or resume with their
 * next step due at once (a still-unacknowledged incident pages as usual); one acknowledged meanwhile stops instead.
 */
export async function resumeEscalations(manager: EntityManager, windowId: string, title: string, now: Date): Promise<number> {
  const [rows] = await manager.query(
    `WITH paused AS (
       SELECT e.incident_id, i.service_id, i.status
         FROM incident_escalation e JOIN incident i ON i.id = e.incident_id
        WHERE e.state = 'PAUSED' AND e.paused_by = $1
          FOR UPDATE OF e
     ),
     successor AS (
       SELECT DISTINCT ON (ws.service_id) ws.service_id, w.id
         FROM maintenance_window_service ws JOIN maintenance_window w ON w.id = ws.window_id
        WHERE w.status = 'IN_PROGRESS' AND ws.service_id IN (SELECT service_id FROM paused)
        ORDER BY ws.service_id, w.started_at, w.id
     )
     UPDATE incident_escalation e
        SET paused_by = s.id,
            state = CASE WHEN s.id IS NOT NULL THEN 'PAUSED' WHEN p.status = 'TRIGGERED' THEN 'ACTIVE' ELSE 'STOPPED' END,
            next_due_at = CASE WHEN s.id IS NULL AND p.status = 'TRIGGERED' THEN $2 ELSE e.next_due_at END,
            updated_at = $2
       FROM paused p LEFT JOIN successor s ON s.service_id = p.service_id
      WHERE e.incident_id = p.incident_id
     RETURNING e.incident_id, e.state`,
    [windowId, now],
  );
  let resumed = 0;
  for (const { incident_id: incidentId, state } of rows as Array<{ incident_id: string; state: string }>) {
    if (state === 'PAUSED') continue;
    if (state === 'ACTIVE') resumed += 1;
    await appendTimeline(manager, SYSTEM_ACTOR, {
      incidentId,
      kind: state === 'ACTIVE' ? 'ESCALATION_RESUMED' : 'ESCALATION_STOPPED',
      at: now,
      message: state === 'ACTIVE' ? `escalation resumed: maintenance "${title}" ended` : `escalation stopped: maintenance "${title}" ended and the incident is no longer triggered`,
      data: { maintenanceWindowId: windowId },
    });
  }
  return resumed;
}
