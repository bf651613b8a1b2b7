import type { DataSource, EntityManager } from 'typeorm';
import { TimelineEvent } from '../schema/timeline-event.entity';
import type { Actor } from '../shared/actor';
import { requireUuid } from './validation';

export interface TimelineEntry {
  incidentId: string;
  kind: string;
  message: string;
  at: Date;
  data?: Record<string, unknown>;
}

/**
 * Appends to an incident's timeline inside the caller's transaction; subscribers hear of it on
 * commit. The insert and its notification are one statement (one round trip on hot paths).
 */
export async function appendTimeline(manager: EntityManager, actor: Actor, entry: TimelineEntry): Promise<TimelineEvent> {
  const [row] = await manager.query(
    `WITH inserted AS (
       INSERT INTO timeline_event (incident_id, kind, at, actor_type, actor_id, actor_name, message, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
     )
     SELECT id, ib_emit_change(json_build_object('topic', 'TIMELINE_EVENT_ADDED', 'incidentId', $1::uuid, 'eventId', id)::text) AS notified
       FROM inserted`,
    [entry.incidentId, entry.kind, entry.at, actor.type, actor.id, actor.name, entry.message, JSON.stringify(entry.data ?? {})],
  );
  return manager.create(TimelineEvent, {
    id: row.id,
    incidentId: entry.incidentId,
    kind: entry.kind,
    at: entry.at,
    actorType: actor.type,
    actorId: actor.id,
    actorName: actor.name,
    message: entry.message,
    data: entry.data ?? {},
  });
}

export class TimelineService {
  constructor(private readonly db: DataSource) {}

  /** The events with these ids that exist, in any order (one statement for a batch loader). */
  async byIds(ids: readonly string[]): Promise<TimelineEvent[]> {
    return this.db.getRepository(TimelineEvent).createQueryBuilder('e').where('e.id = ANY(:ids)', { ids }).getMany();
  }

  /** Newest first; `before` is an event id to page from. */
  async list(incidentId: string, limit: number, before?: string): Promise<TimelineEvent[]> {
    const query = this.db
      .getRepository(TimelineEvent)
      .createQueryBuilder('e')
      .where('e.incident_id = :incidentId', { incidentId })
      .orderBy('e.at', 'DESC')
      .addOrderBy('e.seq', 'DESC')
      .limit(limit);
    if (before) {
      requireUuid('before', before);
      query.andWhere('(e.at, e.seq) < (SELECT at, seq FROM timeline_event WHERE id = :before)', { before });
    }
    return query.getMany();
  }

  /**
   * The newest `limit` events of each incident, in one statement (DataLoader batch): the LATERAL join reads just
   * those through (incident_id, at DESC, seq DESC), however long each timeline is, and the rows come back under the
   * entity's property names, so they need no ORM hydration.
   */
  async latestByIncident(incidentIds: readonly string[], limit: number): Promise<Map<string, TimelineEvent[]>> {
    const rows: Array<Partial<TimelineEvent>> = await this.db.query(
      `SELECT e.id, e.incident_id AS "incidentId", e.kind, e.at, e.actor_type AS "actorType", e.actor_id AS "actorId",
              e.actor_name AS "actorName", e.message, e.data
         FROM unnest($1::uuid[]) AS listed (id)
        CROSS JOIN LATERAL (SELECT * FROM timeline_event t WHERE t.incident_id = listed.id ORDER BY t.at DESC, t.seq DESC LIMIT $2) e
        ORDER BY e.at DESC, e.seq DESC`,
      [incidentIds, limit],
    );
    const events = rows.map((row) => Object.assign(new TimelineEvent(), row));
    const grouped = new Map<string, TimelineEvent[]>(incidentIds.map((id) => [id, []]));
    for (const event of events) grouped.get(event.incidentId)?.push(event);
    return grouped;
  }
}
