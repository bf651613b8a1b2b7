import type { Rotation, Schedule } from './schedule.types';

const UNIT_MS: Record<Rotation['unit'], number> = { hours: 3_600_000, days: 86_400_000, weeks: 7 * 86_400_000 };

/**
 * About how many pieces resolving `schedule` over [from, to) produces, computed from its definition alone
 * (each piece costs a time-zone conversion, ~25 µs): rotation handoffs of every layer, the daily windows
 * that cut them, and the overrides. Lets a caller refuse a range before doing the work.
 */
export function estimatedPieces(schedule: Schedule, from: Date, to: Date): number {
  const span = Math.max(0, to.getTime() - from.getTime());
  const days = Math.ceil(span / UNIT_MS.days) + 1;
  let pieces = schedule.overrides.length;
  for (const layer of schedule.layers) {
    pieces += Math.ceil(span / (UNIT_MS[layer.rotation.unit] * Math.max(1, layer.rotation.length))) + 1;
    pieces += (layer.restrictions?.length ?? 0) * days;
  }
  return pieces;
}
