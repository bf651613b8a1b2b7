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

  /** The newest `limit` events of each incident, in one statement (DataLoader batch). */
  async latestByIncident(incidentIds: readonly string[], limit: number): Promise<Map<string, TimelineEvent[]>> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT id FROM (
         SELECT id, row_number() OVER (PARTITION BY incident_id ORDER BY at DESC, seq DESC) AS rank
         FROM timeline_event WHERE incident_id = ANY($1::uuid[])
       ) ranked WHERE rank <= $2`,
      [incidentIds, limit],
    );
    const events = rows.length
      ? await this.db
          .getRepository(TimelineEvent)
          .createQueryBuilder('e')
          .where('e.id = ANY(:ids)', { ids: rows.map((row) => row.id) })
          .orderBy('e.at', 'DESC')
          .addOrderBy('e.seq', 'DESC')
          .getMany()
      : [];
    const grouped = new Map<string, TimelineEvent[]>(incidentIds.map((id) => [id, []]));
    for (const event of events) grouped.get(event.incidentId)?.push(event);
    return grouped;
  }
}
