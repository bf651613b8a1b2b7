import { DateTime } from 'luxon';
import { ComponentState } from '../../shared/enums';
import { worstState } from './component-state';
import type { PublicDay } from './public-page';
import { weightedDowntimeSeconds } from '../../shared/component-downtime';

export const HISTORY_DAYS = 90;
/** Statuspage counts a partial outage as 30 % down. */

/** A time a component spent in a state: an incident's impact, or a maintenance window in progress. */
export interface StateInterval {
  state: ComponentState;
  start: Date;
  /** null: still going on. */
  end: Date | null;
  /** The incident behind it, for the day's list; maintenance has none. */
  incident?: { id: string; title: string };
}

const RANK: Record<ComponentState, number> = { OPERATIONAL: 0, UNDER_MAINTENANCE: 1, DEGRADED_PERFORMANCE: 2, PARTIAL_OUTAGE: 3, MAJOR_OUTAGE: 4 };

/**
 * The last `days` calendar days in `zone` up to and including the day of `now`, oldest first. Days are the zone's
 * own (23 or 25 hours across a DST change); an incident state beats maintenance where both cover a moment.
 */
export function uptimeHistory(intervals: readonly StateInterval[], zone: string, now: Date, days = HISTORY_DAYS): PublicDay[] {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const result: PublicDay[] = [];
  for (let back = days - 1; back >= 0; back -= 1) {
    const dayStart = today.minus({ days: back });
    const from = dayStart.toMillis();
    const to = dayStart.plus({ days: 1 }).toMillis();
    result.push(dayOf(dayStart.toISODate() as string, from, to, intervals, now.getTime()));
  }
  return result;
}

function dayOf(date: string, from: number, to: number, intervals: readonly StateInterval[], now: number): PublicDay {
  const clipped = intervals
    .map((interval) => ({ interval, start: Math.max(from, interval.start.getTime()), end: Math.min(to, interval.end?.getTime() ?? now) }))
    .filter((piece) => piece.end > piece.start);
  const seconds = { major: 0, partial: 0, degraded: 0, maintenance: 0 };
  const points = [...new Set(clipped.flatMap((piece) => [piece.start, piece.end]))].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [start, end] = [points[i], points[i + 1]];
    const covering = clipped.filter((piece) => piece.start <= start && piece.end >= end).map((piece) => piece.interval.state);
    const state = worstState(covering);
    const length = (end - start) / 1000;
    if (state === ComponentState.MAJOR_OUTAGE) seconds.major += length;
    else if (state === ComponentState.PARTIAL_OUTAGE) seconds.partial += length;
    else if (state === ComponentState.DEGRADED_PERFORMANCE) seconds.degraded += length;
    else if (state === ComponentState.UNDER_MAINTENANCE) seconds.maintenance += length;
  }
  const daySeconds = (to - from) / 1000;
  const uptime = 100 * (1 - weightedDowntimeSeconds(seconds.major, seconds.partial) / daySeconds);
  const incidents = new Map<string, { id: string; title: string }>();
  for (const piece of clipped) if (piece.interval.incident) incidents.set(piece.interval.incident.id, piece.interval.incident);
  return {
    date,
    uptimePercent: Math.round(uptime * 100) / 100,
    worstState: clipped.reduce<ComponentState>((worst, piece) => (RANK[piece.interval.state] > RANK[worst] ? piece.interval.state : worst), ComponentState.OPERATIONAL),
    outageSeconds: { major: Math.round(seconds.major), partial: Math.round(seconds.partial), degraded: Math.round(seconds.degraded), maintenance: Math.round(seconds.maintenance) },
    incidents: [...incidents.values()],
  };
}
