import { isDeepStrictEqual } from 'node:util';
import type { IntegrationAuth, IntegrationService } from '../services/integration.service';

const TTL_MS = 30_000;

interface Entry {
  value: IntegrationAuth;
  loadedAt: number;
}

/**
 * Keeps integrations' auth data in memory for the hot path. Every instance drops an entry when an
 * INTEGRATION_CHANGED notification arrives, so disabling or rotating takes effect everywhere at once.
 * Concurrent misses for one id share one load. A periodic reload that finds the integration unchanged
 * keeps the same object, so what hangs off it (the normalization memo) survives.
 */
function isFresh(entry: Entry): boolean {
  return Date.now() - entry.loadedAt < TTL_MS;
}

export class IntegrationCache {
  private entries = new Map<string, Entry>();
  private loading = new Map<string, Promise<IntegrationAuth | null>>();
  /** Bumped by invalidate(), so a load that started before a change cannot store what it read. */
  private generations = new Map<string, number>();

  constructor(private readonly integrations: IntegrationService) {}

  /** The cached integration while it is fresh, without waiting (the hot path's common case). */
  peek(id: string): IntegrationAuth | undefined {
    const cached = this.entries.get(id);
    return cached && isFresh(cached) ? cached.value : undefined;
  }

  async get(id: string): Promise<IntegrationAuth | null> {
    const cached = this.entries.get(id);
    if (cached && isFresh(cached)) return cached.value;
    let pending = this.loading.get(id);
    if (!pending) {
      const loading: Promise<IntegrationAuth | null> = this.load(id, cached).finally(() => {
        if (this.loading.get(id) === loading) this.loading.delete(id);
      });
      pending = loading;
      this.loading.set(id, loading);
    }
    return pending;
  }

  invalidate(id: string): void {
    this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
    this.entries.delete(id);
    this.loading.delete(id);
  }

  /** Forgets everything: changes may have been missed (the change notifications could not all be replayed). */
  clear(): void {
    for (const id of new Set([...this.entries.keys(), ...this.loading.keys()])) this.invalidate(id);
  }

  private async load(id: string, previous: Entry | undefined): Promise<IntegrationAuth | null> {
    const generation = this.generations.get(id) ?? 0;
    const loaded = await this.integrations.auth(id);
    if (generation !== (this.generations.get(id) ?? 0)) return loaded;
    // Unknown ids are not cached, so the table cannot be filled by probing.
    if (!loaded) {
      this.entries.delete(id);
      return null;
    }
    const value = previous && isDeepStrictEqual(previous.value, loaded) ? previous.value : loaded;
    this.entries.set(id, { value, loadedAt: Date.now() });
    return value;
  }
}
