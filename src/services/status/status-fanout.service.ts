import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../shared/clock';
import type { StatusPageKind } from '../../shared/enums';
import type { EventSubject } from './status-events';
import type { PublicIncident, PublicMaintenance, PublicPage } from './public-page';
import type { StoredPage } from './statuspage-webhook';

/** The public reader's views the fan-out puts in its messages (services.publicStatus). */
export interface PublicViews {
  read(slug: string): Promise<PublicPage | null>;
  incident(incidentId: string): Promise<PublicIncident | null>;
  maintenance(windowId: string): Promise<PublicMaintenance | null>;
}

interface PendingEvent {
  id: string;
  page_id: string | null;
  page_kind: StatusPageKind;
  service_ids: string[];
  payload: { about: EventSubject };
  created_at: Date;
}

export const EXPAND_BATCH = 20;

/**
 * Expands recorded events into the subscribers' outbox: one status_delivery per (event, matching subscriber), decided
 * exactly once across instances — the event is claimed with SKIP LOCKED, its deliveries are inserted in one statement
 * whose unique (event, subscriber) key makes a repeat write nothing, and expanded_at is set in the same transaction.
 *
 * A subscriber matches when it is active (confirmed, not unsubscribed) and was confirmed by the time of the event (no
 * past notices for newcomers), its page is of the event's kind and shows one of the event's services (a COMPONENT
 * event: only its own page), and it follows the whole page or one of those services. The event's payload gains the
 * public views its messages are built from, read once here: the incident or window as the public reader shows it (none
 * when it is not public: nobody is told) and each page's overall state.
 */
export class StatusFanout {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly views: PublicViews,
  ) {}

  /** One pass; returns the events it expanded. */
  async expand(limit = EXPAND_BATCH): Promise<number> {
    return this.db.transaction(async (manager) => {
      const events: PendingEvent[] = await manager.query(
        `SELECT id, page_id, page_kind, service_ids, payload, created_at FROM status_event
          WHERE expanded_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const event of events) await this.expandOne(manager, event);
      return events.length;
    });
  }

  /** Passes until fewer than a batch was pending (bounded). */
  async expandAll(maxPasses = 100): Promise<number> {
    let total = 0;
    for (let pass = 0; pass < maxPasses; pass += 1) {
      const expanded = await this.expand();
      total += expanded;
      if (expanded < EXPAND_BATCH) break;
    }
    return total;
  }

  private async expandOne(manager: EntityManager, event: PendingEvent): Promise<void> {
    const now = this.clock.now();
    const subject = await this.subjectView(event.payload.about);
    const pages = subject ? await this.pagesOf(manager, event) : {};
    const pageIds = Object.keys(pages);
    await manager.query(`UPDATE status_event SET payload = payload || $2::jsonb, expanded_at = $3 WHERE id = $1`, [event.id, JSON.stringify({ ...subject, pages }), now]);
    if (!pageIds.length) return;
    await manager.query(
      `INSERT INTO status_delivery (event_id, subscriber_id, status, next_attempt_at, created_at)
       SELECT $1, s.id, 'PENDING', $2, $2
         FROM status_subscriber s
        WHERE s.page_id = ANY($3::uuid[])
          AND s.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL AND s.confirmed_at <= $4
          AND (cardinality(s.service_ids) = 0 OR s.service_ids && $5::uuid[])
       ON CONFLICT (event_id, subscriber_id) DO NOTHING`,
      [event.id, now, pageIds, event.created_at, event.service_ids],
    );
  }

  /** The public view of what the event is about; a component's change carries its own. Null: not public now. */
  private async subjectView(about: EventSubject): Promise<Record<string, unknown> | null> {
    if (about.type === 'incident') {
      const incident = await this.views.incident(about.id);
      return incident ? { incident } : null;
    }
    if (about.type === 'maintenance') {
      const maintenance = await this.views.maintenance(about.id);
      return maintenance ? { maintenance } : null;
    }
    return {};
  }

  /** The pages the event reaches (its kind, showing one of its services; a COMPONENT event: its own), by internal id. */
  private async pagesOf(manager: EntityManager, event: PendingEvent): Promise<Record<string, StoredPage>> {
    const rows: Array<{ id: string; slug: string }> = await manager.query(
      `SELECT p.id, p.slug FROM status_page p
        WHERE p.kind = $1 AND ($2::uuid IS NULL OR p.id = $2)
          AND EXISTS (SELECT 1 FROM status_page_service ps WHERE ps.page_id = p.id AND ps.service_id = ANY($3::uuid[]))`,
      [event.page_kind, event.page_id, event.service_ids],
    );
    const pages: Record<string, StoredPage> = {};
    for (const row of rows) {
      const page = await this.views.read(row.slug);
      if (page) pages[row.id] = { id: page.id, status_indicator: page.indicator, status_description: page.indicatorDescription };
    }
    return pages;
  }
}
