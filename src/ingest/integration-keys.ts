import type { IntegrationAuth, IntegrationService } from '../services/integration.service';
import type { Clock } from '../shared/clock';
import type { IntegrationCache } from './integration-cache';
import { hashOfPresented, secretMatches } from './webhook-auth';

const MAX_REMEMBERED = 4096;

/**
 * Integrations found by the key a request presents, where the request names no integration otherwise: PagerDuty's
 * routing_key, Opsgenie's GenieKey, the local part of an EMAIL integration's address. The key is only ever hashed: the
 * database is asked for the SHA-256 (so an index lookup's timing says nothing about the key), and the found
 * integration's hashes are compared in constant time as for every webhook. Which integration a key's hash belongs to
 * is remembered (bounded); unknown keys are not, so guessing cannot fill memory (the auth-failure limiter slows
 * guessing).
 */
export class IntegrationKeys {
  private ids = new Map<string, string>();

  constructor(
    private readonly cache: IntegrationCache,
    private readonly integrations: IntegrationService,
    private readonly clock: Clock,
  ) {}

  async byKey(key: string): Promise<IntegrationAuth | null> {
    if (!key) return null;
    const hash = hashOfPresented(key);
    let id = this.ids.get(hash);
    if (id === undefined) {
      const found = await this.integrations.idBySecretHash(hash);
      if (!found) return null;
      id = found;
      if (this.ids.size >= MAX_REMEMBERED) this.ids.clear();
      this.ids.set(hash, id);
    }
    const integration = this.cache.peek(id) ?? (await this.cache.get(id));
    // Rotated away (past its grace period) or deleted since it was remembered.
    if (!integration || !secretMatches(integration, key, this.clock.now())) {
      this.ids.delete(hash);
      return null;
    }
    return integration;
  }
}
