import type { DailyWindow } from './schedule.types';
import type { Segment } from './layer-shifts';
import { parseClockTime, toInstant, toWallTime } from './wall-clock';

/** A half-open span of epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The instants in [from, to) that fall inside any of the daily local-time windows.
 * Each window opens on every local day at `start` and closes at `end` the same day, or
 * the next day when end <= start (18:00–02:00). Window edges are wall-clock times placed
 * with `toInstant`, so on a DST night an 18:00–02:00 window lasts 7 h or 9 h of real time.
 */
export function restrictionSpans(windows: DailyWindow[], zone: string, from: number, to: number): Span[] {
  if (from >= to) return [];
  const firstDay = toWallTime(from, zone).startOf('day').minus({ days: 1 });
  const lastDay = toWallTime(to, zone).startOf('day');
  const spans: Span[] = [];
  for (let day = firstDay; day <= lastDay; day = day.plus({ days: 1 })) {
    for (const window of windows) {
      const open = parseClockTime(window.start);
      const close = parseClockTime(window.end);
      if (open === null || close === null) continue;
      const start = toInstant(day.plus({ minutes: open }), zone);
      const end = toInstant(day.plus({ days: close <= open ? 1 : 0, minutes: close }), zone);
      const clipped = { start: Math.max(start, from), end: Math.min(end, to) };
      if (clipped.end > clipped.start) spans.push(clipped);
    }
  }
  return unionOf(spans);
}

/** Sorted, non-overlapping union of spans (touching spans are joined). */
export function unionOf(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const union: Span[] = [];
  for (const span of sorted) {
    const last = union[union.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else union.push({ ...span });
  }
  return union;
}

/** The parts of sorted, non-overlapping `segments` inside sorted, non-overlapping `spans`. */
export function clipToSpans(segments: Segment[], spans: Span[]): Segment[] {
  const clipped: Segment[] = [];
  let s = 0;
  for (const segment of segments) {
    while (s < spans.length && spans[s].end <= segment.start) s += 1;
    for (let i = s; i < spans.length && spans[i].start < segment.end; i += 1) {
      const start = Math.max(segment.start, spans[i].start);
      const end = Math.min(segment.end, spans[i].end);
      if (end > start) clipped.push({ start, end, personId: segment.personId });
    }
  }
  return clipped;
}
