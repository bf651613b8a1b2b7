import type { EntityManager } from 'typeorm';
import type { CauseKind, DetectionSource, ReviewOrigin, ReviewStatus } from '../../shared/enums';
import { reviewTimings, type ReviewTimings } from './review-timings';

/** What an RCA is generated from: the IRF as its tables hold it, with the incident's facts and computed timings. */
export interface ReviewSnapshot {
  reviewId: string;
  status: ReviewStatus;
  origin: ReviewOrigin;
  incident: { id: string; number: number; title: string; serviceName: string; openedAt: Date; resolvedAt: Date | null };
  summary: string | null;
  detection: { source: DetectionSource | null; impactStartedAt: Date | null; firstAlertAt: Date | null; notes: string | null };
  timings: ReviewTimings;
  mitigation: { notes: string | null; fasterMitigation: string | null; steps: Array<{ description: string; status: string; temporary: boolean }> };
  causes: Array<{ kind: CauseKind; category: string; description: string }>;
  impact: { customers: string | null; products: string[]; channels: string[]; locations: string[]; description: string | null };
  /** The timeline as the review shows it (hidden events left out), oldest first. */
  timeline: Array<{ at: Date; kind: string; message: string; pinned: boolean; added: boolean }>;
  preventive: { notes: string | null; tasks: Array<{ title: string; ownerName: string | null; dueAt: Date | null; status: string; priority: string; externalUrl: string | null }> };
  lessons: string | null;
}

/** The IRF of an incident read inside the caller's transaction, or null when none was opened. */
export async function readReviewSnapshot(manager: EntityManager, incidentId: string): Promise<ReviewSnapshot | null> {
  const [row] = await manager.query(
    `SELECT r.*, i.number, i.title, i.opened_at, i.acknowledged_at, i.mitigated_at, i.resolved_at, s.name AS service_name,
            (SELECT min(a.first_seen_at) FROM alert a WHERE a.incident_id = i.id) AS first_alert_at
       FROM incident_review r JOIN incident i ON i.id = r.incident_id JOIN service s ON s.id = i.service_id
      WHERE r.incident_id = $1`,
    [incidentId],
  );
  if (!row) return null;
  const [causes, events, entries, steps, tasks] = await Promise.all([
    manager.query(
      `SELECT c.kind, k.name AS category, c.description FROM review_cause c JOIN cause_category k ON k.id = c.category_id
        WHERE c.review_id = $1 ORDER BY (c.kind = 'ROOT') DESC, c.position, c.created_at`,
      [row.id],
    ),
    manager.query(
      `SELECT e.at, e.kind, e.message, coalesce(m.pinned, false) AS pinned FROM timeline_event e
         LEFT JOIN review_timeline_mark m ON m.timeline_event_id = e.id AND m.review_id = $2
        WHERE e.incident_id = $1 AND NOT coalesce(m.hidden, false) ORDER BY e.at, e.seq`,
      [incidentId, row.id],
    ),
    manager.query(`SELECT at, message, pinned FROM review_timeline_entry WHERE review_id = $1 ORDER BY at, added_at`, [row.id]),
    manager.query(`SELECT description, status, temporary FROM mitigation_step WHERE incident_id = $1 ORDER BY announced_at, id`, [incidentId]),
    manager.query(
      `SELECT t.title, p.name AS owner_name, t.due_at, t.status, t.priority, t.external_url FROM task t LEFT JOIN person p ON p.id = t.owner_id
        WHERE t.review_id = $1 OR t.id IN (SELECT long_term_fix_task_id FROM mitigation_step WHERE incident_id = $2)
        ORDER BY t.due_at NULLS LAST, t.created_at, t.id`,
      [row.id, incidentId],
    ),
  ]);
  const timeline = [
    ...events.map((event: { at: Date; kind: string; message: string; pinned: boolean }) => ({ ...event, added: false })),
    ...entries.map((entry: { at: Date; message: string; pinned: boolean }) => ({ ...entry, kind: 'ADDED', added: true })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    reviewId: row.id,
    status: row.status,
    origin: row.origin,
    incident: { id: incidentId, number: Number(row.number), title: row.title, serviceName: row.service_name, openedAt: row.opened_at, resolvedAt: row.resolved_at },
    summary: row.summary,
    detection: { source: row.detection_source, impactStartedAt: row.impact_started_at, firstAlertAt: row.first_alert_at, notes: row.detection_notes },
    timings: reviewTimings({
      impactStartedAt: row.impact_started_at,
      firstAlertAt: row.first_alert_at,
      openedAt: row.opened_at,
      acknowledgedAt: row.acknowledged_at,
      mitigatedAt: row.mitigated_at,
      resolvedAt: row.resolved_at,
    }),
    mitigation: { notes: row.mitigation_notes, fasterMitigation: row.faster_mitigation, steps },
    causes,
    impact: { customers: row.impact_customers, products: row.impact_products, channels: row.impact_channels, locations: row.impact_locations, description: row.impact_description },
    timeline,
    preventive: {
      notes: row.preventive_notes,
      tasks: tasks.map((task: { title: string; owner_name: string | null; due_at: Date | null; status: string; priority: string; external_url: string | null }) => ({
        title: task.title,
        ownerName: task.owner_name,
        dueAt: task.due_at,
        status: task.status,
        priority: task.priority,
        externalUrl: task.external_url,
      })),
    },
    lessons: row.lessons,
  };
}
