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

/** A change as read back from change_log, with when it was written (microseconds since the epoch). */
export interface LoggedRow {
  seq: number;
  writtenAtMicros: number;
  change: LoggedChange;
}

/**
 * What one read of change_log holds for several cursors at once (see replayOf): the changes after the lowest
 * cursor and the slack before the earliest-written one, oldest first.
 */
export interface HistoryRead {
  rows: LoggedRow[];
  /** When each cursor's own change was written; a cursor missing here is no longer (or never was) in the log. */
  marks: Map<number, number>;
  /** More than `maxRows` followed the lowest cursor: only those after this number are all here. */
  completeAbove: number | null;
}

/**
 * One statement for every cursor in `cursors`: the newest `maxRows + 1` changes after the lowest one, and the
 * slack (REPLAY_SLACK_SECONDS) before the earliest written of their own changes. The limit counts only the
 * changes after a cursor: the slack, nearly all of it already delivered, used to count as well, so a steady
 * write rate of a few hundred changes a second filled it and a 20-s cut ended subscriptions with RESYNC_REQUIRED.
 * The slack is bounded on its own, to the newest `maxRows` changes before the lowest cursor: beyond that rate
 * (20,000 in 30 s by default) it covers less than 30 s rather than holding more memory or failing the replay.
 */
export async function readHistory(db: DataSource, cursors: number[], maxRows: number): Promise<HistoryRead> {
  const lowest = Math.min(...cursors);
  const rows = (await db.query(
    `WITH marks AS (SELECT seq, created_at FROM change_log WHERE seq = ANY($1::bigint[])),
          after_lowest AS (SELECT seq, change, created_at FROM change_log WHERE seq > $2 ORDER BY seq DESC LIMIT $3),
          slack AS (SELECT seq, change, created_at FROM change_log
                     WHERE seq <= $2 AND created_at >= (SELECT min(created_at) FROM marks) - make_interval(secs => $4)
                     ORDER BY seq DESC LIMIT $3 - 1)
     SELECT 'mark' AS part, seq, NULL AS change, (extract(epoch FROM created_at) * 1000000)::bigint AS written FROM marks
     UNION ALL SELECT 'after', seq, change, (extract(epoch FROM created_at) * 1000000)::bigint FROM after_lowest
     UNION ALL SELECT 'slack', seq, change, (extract(epoch FROM created_at) * 1000000)::bigint FROM slack`,
    [cursors, lowest, maxRows + 1, REPLAY_SLACK_SECONDS],
  )) as Array<{ part: 'mark' | 'after' | 'slack'; seq: string; change: string | null; written: string }>;
  const read: HistoryRead = { rows: [], marks: new Map(), completeAbove: null };
  let after = 0;
  for (const row of rows) {
    const seq = Number(row.seq);
    const writtenAtMicros = Number(row.written);
    if (row.part === 'mark') {
      read.marks.set(seq, writtenAtMicros);
      continue;
    }
    if (row.part === 'after') after += 1;
    read.rows.push({ seq, writtenAtMicros, change: { ...(JSON.parse(row.change!) as LoggedChange), seq } });
  }
  read.rows.sort((x, y) => x.seq - y.seq);
  if (after > maxRows) read.completeAbove = read.rows.find((row) => row.seq > lowest)!.seq;
  return read;
}

/** Whether `read` holds everything a replay after `cursor` needs (it was read for that cursor or a lower one). */
export function replayIsComplete(read: HistoryRead, cursor: number): boolean {
  // Cursor 0 ("from the start") has no change of its own: complete only while nothing was ever pruned, i.e. empty.
  const known = cursor === 0 ? read.rows.length === 0 : read.marks.has(cursor);
  return known && (read.completeAbove === null || cursor >= read.completeAbove);
}

/** The rows of `read` a replay after `cursor` brings: those after it and the slack before its own change. */
export function rowsAfter(read: HistoryRead, cursor: number): LoggedRow[] {
  const mark = read.marks.get(cursor);
  const since = mark === undefined ? Infinity : mark - REPLAY_SLACK_SECONDS * 1_000_000;
  return read.rows.filter((row) => row.seq > cursor || row.writtenAtMicros >= since);
}

/** The changes committed since change `after` (see REPLAY_SLACK_SECONDS), oldest first. */
export async function changesAfter(db: DataSource, after: number, maxRows: number): Promise<Replay> {
  const read = await readHistory(db, [after], maxRows);
  return { complete: replayIsComplete(read, after), changes: rowsAfter(read, after).map((row) => row.change) };
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
