import type { DataSource } from 'typeorm';
import type { LoggedChange } from './changes';

/**
 * Sequence numbers are taken when a change is written, not when it commits: a transaction that wrote an earlier
 * number may commit after a later one was already heard. Replaying "after N" therefore goes back this far before
 * N's own write as well (re-sending some changes: events are at least once, and subscribers re-read by id).
 */
export const REPLAY_SLACK_SECONDS = 30;

export interface Replay {
  /** False when change N is no longer in the log (pruned) or more than `maxRows` followed it: not all can be replayed. */
  complete: boolean;
  changes: LoggedChange[];
}

/** The changes committed since change `after` (see REPLAY_SLACK_SECONDS), oldest first. */
export async function changesAfter(db: DataSource, after: number, maxRows: number): Promise<Replay> {
  const rows = (await db.query(
    `WITH mark AS (SELECT created_at FROM change_log WHERE seq = $1)
     SELECT seq, change, EXISTS (SELECT 1 FROM mark) AS known
       FROM change_log
      WHERE seq > $1 OR created_at >= (SELECT created_at FROM mark) - make_interval(secs => $3)
      ORDER BY seq
      LIMIT $2`,
    [after, maxRows + 1, REPLAY_SLACK_SECONDS],
  )) as Array<{ seq: string; change: string; known: boolean }>;
  // Without rows the mark cannot be checked; an empty answer after an existing mark is complete, as it is for 0.
  const known = rows.length ? rows[0].known : after === 0 || (await markExists(db, after));
  return {
    complete: known && rows.length <= maxRows,
    changes: rows.slice(0, maxRows).map((row) => ({ ...(JSON.parse(row.change) as LoggedChange), seq: Number(row.seq) })),
  };
}

async function markExists(db: DataSource, seq: number): Promise<boolean> {
  const rows = (await db.query('SELECT 1 FROM change_log WHERE seq = $1', [seq])) as unknown[];
  return rows.length > 0;
}

/** The number of the last change written so far (0 when none). */
export async function latestChange(db: DataSource): Promise<number> {
  const [row] = (await db.query('SELECT coalesce(max(seq), 0) AS seq FROM change_log')) as Array<{ seq: string }>;
  return Number(row.seq);
}

/** Deletes changes older than `olderThan`, oldest first, at most `batchSize`; returns how many went. */
export async function pruneChangeLog(db: DataSource, olderThan: Date, batchSize: number): Promise<number> {
  const [row] = (await db.query(
    `WITH gone AS (DELETE FROM change_log WHERE seq IN (SELECT seq FROM change_log WHERE created_at < $1 ORDER BY seq LIMIT $2) RETURNING 1)
     SELECT count(*)::int AS count FROM gone`,
    [olderThan, batchSize],
  )) as Array<{ count: number }>;
  return row.count;
}
