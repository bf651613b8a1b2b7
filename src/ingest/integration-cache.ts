import type { IntegrationAuth, IntegrationService } from '../services/integration.service';

const TTL_MS = 30_000;

/**
 * Keeps integrations' auth data in memory for the hot path. Every instance drops an entry when an
 * INTEGRATION_CHANGED notification arrives, so disabling or rotating takes effect everywhere at once.
 */
export class IntegrationCache {
  private entries = new Map<string, { value: IntegrationAuth | null; loadedAt: number }>();

  constructor(private readonly integrations: IntegrationService) {}

  async get(id: string): Promise<IntegrationAuth | null> {
    const cached = this.entries.get(id);
    if (cached && Date.now() - cached.loadedAt < TTL_MS) return cached.value;
    const value = await this.integrations.auth(id);
    // Unknown ids are not cached, so the table cannot be filled by probing.
    if (value) this.entries.set(id, { value, loadedAt: Date.now() });
    return value;
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }
}
