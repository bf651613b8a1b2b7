import type { AlertOrigin } from '../services/incident-grouping';
import type { NormalizedAlert } from './normalized-alert';

/** One alert occurrence in a batch, with the request it came from. */
export interface BatchEntry {
  item: number;
  target: AlertOrigin;
  alert: NormalizedAlert;
}

/** All occurrences of one (integration, fingerprint) in a batch, merged so one statement touches each row once. */
export interface MergedAlert {
  key: string;
  fingerprint: string;
  target: AlertOrigin;
  /** The newest firing occurrence's fields (null when the batch only resolves it). */
  firing: NormalizedAlert | null;
  firingCount: number;
  /** A resolve arrived before the last firing occurrence: the old alert resolves, a new one starts. */
  resolveBefore: boolean;
  /** The last word in the batch is "resolved". */
  resolveAfter: boolean;
  resolveCount: number;
  lastEndsAt: Date | null;
  items: Set<number>;
}

export function alertKey(integrationId: string, fingerprint: string): string {
  return `${integrationId}\u0000${fingerprint}`;
}

/**
 * Applies occurrences in delivery order: an existing alert resolved and fired again within a batch
 * resolves, and a new alert starts. An alert that is new to the batch and flaps inside it
 * (firing → resolved → firing) collapses into one firing alert with every firing counted.
 */
export function mergeBatch(entries: BatchEntry[]): MergedAlert[] {
  const merged = new Map<string, MergedAlert>();
  for (const { item, target, alert } of entries) {
    const key = alertKey(target.integrationId, alert.fingerprint);
    let entry = merged.get(key);
    if (!entry) {
      entry = { key, fingerprint: alert.fingerprint, target, firing: null, firingCount: 0, resolveBefore: false, resolveAfter: false, resolveCount: 0, lastEndsAt: null, items: new Set() };
      merged.set(key, entry);
    }
    entry.items.add(item);
    if (alert.status === 'FIRING') {
      if (entry.resolveAfter) {
        entry.resolveBefore = true;
        entry.resolveAfter = false;
      }
      entry.firing = alert;
      entry.firingCount += 1;
    } else {
      entry.resolveAfter = true;
      entry.resolveCount += 1;
      entry.lastEndsAt = alert.endsAt;
    }
  }
  // Sorted so concurrent batches lock alert rows in the same order.
  return [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
