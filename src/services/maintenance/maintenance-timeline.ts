import type { EntityManager } from 'typeorm';
import { emitChange } from '../../db/changes';
import type { MaintenanceWindow } from '../../schema/maintenance-window.entity';
import type { Actor } from '../../shared/actor';

export interface MaintenanceEntry {
  kind: string;
  message: string;
  at: Date;
  data?: Record<string, unknown>;
}

/** Appends to a window's own timeline in the caller's transaction; returns the event's id. */
export async function appendMaintenanceEvent(manager: EntityManager, windowId: string, actor: Actor, entry: MaintenanceEntry): Promise<string> {
  const [row]: Array<{ id: string }> = await manager.query(
    `INSERT INTO maintenance_event (window_id, kind, at, actor_type, actor_id, actor_name, message, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [windowId, entry.kind, entry.at, actor.type, actor.id, actor.name, entry.message, JSON.stringify(entry.data ?? {})],
  );
  return row.id;
}

/** Subscribers of maintenanceUpdated hear of the window when the transaction commits. */
export async function announceMaintenance(manager: EntityManager, window: Pick<MaintenanceWindow, 'id' | 'status'>): Promise<void> {
  await emitChange(manager, { topic: 'MAINTENANCE_UPDATED', windowId: window.id, status: window.status });
}
