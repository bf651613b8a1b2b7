import type { IntegrationAuth, IntegrationService } from '../services/integration.service';
import type { Clock } from '../shared/clock';
import { Vendor } from '../shared/enums';
import { hashSecret } from '../shared/secrets';
import type { IntegrationCache } from './integration-cache';
import { secretMatches } from './webhook-auth';

export type RecipientRefusal = 'wrong_domain' | 'unknown_integration' | 'integration_disabled';

/** A disabled integration's refusal names it, for its delivery log. */
export type RecipientLookup = { integration: IntegrationAuth } | { refused: RecipientRefusal; integrationId?: string };

const REMEMBERED_KEYS = 4096;

/**
 * Which EMAIL integration an address `<integration secret>@<domain>` is for. The secret is all the address carries, so
 * it is looked up by its hash once and the integration then comes from the cache every gateway path shares (which
 * forgets an integration when it changes); a rotated-away secret stops matching when its grace period ends.
 */
export class MailRecipients {
  /** Secret hash → integration id, for keys that named one; emptied when full, so random keys cannot grow it. */
  private readonly idsByHash = new Map<string, string>();

  constructor(
    private readonly domain: string,
    private readonly integrations: IntegrationService,
    private readonly cache: IntegrationCache,
    private readonly clock: Clock,
  ) {}

  async lookup(address: string): Promise<RecipientLookup> {
    const at = address.lastIndexOf('@');
    if (at <= 0 || address.slice(at + 1).toLowerCase() !== this.domain) return { refused: 'wrong_domain' };
    const key = address.slice(0, at);
    const hash = hashSecret(key);
    const id = this.idsByHash.get(hash) ?? (await this.integrations.idBySecretHash(hash));
    const integration = id === null ? null : (this.cache.peek(id) ?? (await this.cache.get(id)));
    // Another vendor's secret is refused like an unknown one: the address is not an e-mail integration's.
    if (!integration || integration.vendor !== Vendor.EMAIL || !secretMatches(integration, key, this.clock.now())) {
      this.idsByHash.delete(hash);
      return { refused: 'unknown_integration' };
    }
    if (this.idsByHash.size >= REMEMBERED_KEYS) this.idsByHash.clear();
    this.idsByHash.set(hash, integration.id);
    if (!integration.enabled) return { refused: 'integration_disabled', integrationId: integration.id };
    return { integration };
  }
}
