import type { DurationStats } from '../../schema/metrics.types';

/** A figure PostgreSQL returned (numeric and bigint come as text), or null when it had none. */
export function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A duration's `<prefix>_count`, `_mean`, `_median` and `_p90` columns, as the metrics statements name them. */
export function durationStatsOf(row: Record<string, unknown>, prefix: string): DurationStats {
  return {
    count: Number(row[`${prefix}_count`] ?? 0),
    meanSeconds: nullableNumber(row[`${prefix}_mean`]),
    medianSeconds: nullableNumber(row[`${prefix}_median`]),
    p90Seconds: nullableNumber(row[`${prefix}_p90`]),
  };
}
