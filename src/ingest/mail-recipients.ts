import type { IntegrationAuth } from '../services/integration.service';
import { Vendor } from '../shared/enums';
import type { IntegrationKeys } from './integration-keys';

export type RecipientRefusal = 'wrong_domain' | 'unknown_integration' | 'integration_disabled';

/** A disabled integration's refusal names it, for its delivery log. */
export type RecipientLookup = { integration: IntegrationAuth } | { refused: RecipientRefusal; integrationId?: string };

/**
 * Which EMAIL integration an address `<integration secret>@<domain>` is for. The secret is all the address carries,
 * so it is found as the vendor APIs' routing keys are (IntegrationKeys: by its hash, then from the shared cache; a
 * rotated-away secret stops matching when its grace period ends).
 */
export class MailRecipients {
  constructor(
    private readonly domain: string,
    private readonly keys: IntegrationKeys,
  ) {}

  async lookup(address: string): Promise<RecipientLookup> {
    const at = address.lastIndexOf('@');
    if (at <= 0 || address.slice(at + 1).toLowerCase() !== this.domain) return { refused: 'wrong_domain' };
    const integration = await this.keys.byKey(address.slice(0, at));
    // Another vendor's secret is refused like an unknown one: the address is not an e-mail integration's.
    if (!integration || integration.vendor !== Vendor.EMAIL) return { refused: 'unknown_integration' };
    if (!integration.enabled) return { refused: 'integration_disabled', integrationId: integration.id };
    return { integration };
  }
}
