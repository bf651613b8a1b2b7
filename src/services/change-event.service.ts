import type { DataSource } from 'typeorm';
import type { Clock } from '../shared/clock';

/** A PagerDuty change event (a deploy, a config change): context on a service's timeline, never an alert. */
export interface ChangeEvent {
  id: string;
  serviceId: string;
  integrationId: string | null;
  summary: string;
  source: string | null;
  happenedAt: Date;
  customDetails: Record<string, unknown> | null;
  links: Array<{ href: string; text?: string }>;
  receivedAt: Date;
}

export type NewChangeEvent = Omit<ChangeEvent, 'id' | 'receivedAt' | 'happenedAt'> & { happenedAt: Date | null };

/** PagerDuty shows change events for 90 days; they are kept as long. */
const RETENTION_DAYS = 90;
const MAX_LISTED = 100;

export class ChangeEventService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Committed when it returns. */
  async record(event: NewChangeEvent): Promise<string> {
    const now = this.clock.now();
    const [row] = await this.db.query(
      `INSERT INTO change_event (service_id, integration_id, summary, source, happened_at, custom_details, links, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [event.serviceId, event.integrationId, event.summary, event.source, event.happenedAt ?? now, event.customDetails === null ? null : JSON.stringify(event.customDetails), JSON.stringify(event.links), now],
    );
    return row.id;
  }

  /** A service's change events, newest first. */
  async recent(serviceId: string, limit = 20): Promise<ChangeEvent[]> {
    const rows = await this.db.query(
      `SELECT id, service_id, integration_id, summary, source, happened_at, custom_details, links, received_at
         FROM change_event WHERE service_id = $1 ORDER BY happened_at DESC, id DESC LIMIT $2`,
      [serviceId, Math.max(1, Math.min(MAX_LISTED, limit))],
    );
    return rows.map((row: Record<string, unknown>) => ({
      id: row.id,
      serviceId: row.service_id,
      integrationId: row.integration_id,
      summary: row.summary,
      source: row.source,
      happenedAt: row.happened_at,
      customDetails: row.custom_details,
      links: row.links,
      receivedAt: row.received_at,
    })) as ChangeEvent[];
  }

  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - RETENTION_DAYS * 24 * 3600_000);
    const [, deleted] = (await this.db.query(`DELETE FROM change_event WHERE received_at < $1`, [cutoff])) as [unknown, number];
    return deleted;
  }
}
