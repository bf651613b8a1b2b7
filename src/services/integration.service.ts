import type { DataSource, EntityManager } from 'typeorm';
import { emitChange } from '../db/changes';
import { outboundUrlProblem } from '../notify/url-guard';
import { parseIntegrationOptions, type IntegrationOptions } from '../schema/integration-options';
import { AuditTargetType } from '../schema/enums';
import { Vendor } from '../schema/enums';
import { Integration } from '../schema/integration.entity';
import { Service } from '../schema/service.entity';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { badInput, notFound } from '../shared/domain-error';
import { generateSecret, hashSecret } from '../shared/secrets';
import type { Page, PageArgs } from '../shared/page';
import { diffFields, type FieldChanges } from './audit-changes';
import type { AuditService } from './audit.service';
import { silentCondition } from './integration-delivery.service';
import { pageByName } from './pagination';
import { containsPattern, optionalText, requireText, requireUuid } from './validation';

export interface CreateIntegrationInput {
  name: string;
  vendor: Vendor;
  serviceId: string;
  options?: unknown;
  /** Twilio: the account's auth token, used to verify X-Twilio-Signature. */
  vendorCredential?: string | null;
}

export interface UpdateIntegrationInput {
  name?: string | null;
  enabled?: boolean | null;
  options?: unknown;
  vendorCredential?: string | null;
  /** Seconds; null clears it (never silent). */
  expectedDeliveryIntervalSeconds?: number | null;
}

/** What the webhook gateway needs to authenticate and route a delivery. */
export interface IntegrationAuth {
  id: string;
  name: string;
  vendor: Vendor;
  serviceId: string;
  enabled: boolean;
  options: IntegrationOptions;
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
  vendorCredential: string | null;
}

export interface IntegrationFilter {
  nameContains?: string | null;
  vendor?: Vendor[] | null;
  serviceId?: string[] | null;
  enabled?: boolean | null;
  /** true: only silent integrations (an expectation set and nothing for longer than it); false: the others. */
  silent?: boolean | null;
}

const DEFAULT_GRACE_SECONDS = 24 * 3600;
const MAX_GRACE_SECONDS = 30 * 24 * 3600;
/** What the audit log records of an integration; its secret (as its hash) and vendor credential only as "[redacted]". */
const INTEGRATION_FIELDS = ['name', 'vendor', 'serviceId', 'enabled', 'options', 'vendorCredential', 'secret', 'previousSecretExpiresAt', 'expectedDeliveryIntervalSeconds'] as const;
/** The range of expectedDeliveryIntervalSeconds: last_delivery_at moves by whole seconds and its writes are batched, so less than a minute would flap. */
const EXPECTED_INTERVAL_SECONDS = { min: 60, max: 30 * 24 * 3600 } as const;
const INTEGRATION_SECRETS = ['vendorCredential', 'secret'] as const;

export class IntegrationService {
  /** Called once a change to an integration committed, before any answer: this instance forgets it at once. */
  onCommittedChange: (integrationId: string) => void = () => {};

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    /** Where vendors reach this deployment. */
    private readonly publicBaseUrl: string,
    private readonly auditLog: AuditService,
    /** STATUS_FEED URLs on loopback or private networks are accepted (STATUS_FEED_ALLOW_PRIVATE_URLS). */
    private readonly feedUrls: { allowPrivate: boolean } = { allowPrivate: false },
  ) {}

  /** Where the vendor POSTs this integration's webhooks. */
  webhookUrl(integrationId: string): string {
    return `${this.publicBaseUrl}/webhooks/${integrationId}`;
  }

  async create(input: CreateIntegrationInput, audit: AuditContext = SYSTEM_AUDIT): Promise<{ integration: Integration; secret: string }> {
    const serviceId = requireUuid('serviceId', input.serviceId);
    if (!(await this.db.getRepository(Service).existsBy({ id: serviceId }))) throw badInput('serviceId', `service ${serviceId} does not exist`);
    const vendorCredential = optionalText('vendorCredential', input.vendorCredential, 500);
    if (input.vendor === Vendor.TWILIO && !vendorCredential) {
      throw badInput('vendorCredential', "a Twilio integration needs the account's auth token to verify X-Twilio-Signature");
    }
    const options = parseIntegrationOptions(input.options);
    await this.checkStatusFeed(input.vendor, options);
    const secret = generateSecret('whk_');
    const now = this.clock.now();
    const integration = this.db.getRepository(Integration).create({
      name: requireText('name', input.name, 200),
      vendor: input.vendor,
      serviceId,
      enabled: true,
      secretHash: hashSecret(secret),
      previousSecretHash: null,
      previousSecretExpiresAt: null,
      vendorCredential,
      options,
      createdAt: now,
      updatedAt: now,
    });
    await this.db.transaction(async (manager) => {
      await manager.getRepository(Integration).insert(integration);
      const created = await authIn(manager, integration.id);
      await this.auditLog.record(manager, audit, { action: 'integration.create', targetType: AuditTargetType.INTEGRATION, targetId: integration.id, changes: integrationChanges(null, created) });
    });
    return { integration, secret };
  }

  async update(id: string, input: UpdateIntegrationInput, audit: AuditContext = SYSTEM_AUDIT): Promise<Integration> {
    const integration = await this.get(id);
    const patch: Partial<Integration> = { updatedAt: this.clock.now() };
    if (input.name !== undefined && input.name !== null) patch.name = requireText('name', input.name, 200);
    if (input.enabled !== undefined && input.enabled !== null) patch.enabled = input.enabled;
    if (input.options !== undefined && input.options !== null) {
      patch.options = parseIntegrationOptions(input.options);
      await this.checkStatusFeed(integration.vendor, patch.options);
    }
    if (input.vendorCredential !== undefined) {
      patch.vendorCredential = optionalText('vendorCredential', input.vendorCredential, 500);
      if (integration.vendor === Vendor.TWILIO && !patch.vendorCredential) throw badInput('vendorCredential', 'a Twilio integration needs an auth token');
    }
    if (input.expectedDeliveryIntervalSeconds !== undefined) patch.expectedDeliveryIntervalSeconds = expectedInterval(input.expectedDeliveryIntervalSeconds);
    await this.saveAndAnnounce(id, patch, audit, 'integration.update');
    return this.get(id);
  }

  /** A new secret; the old one keeps working for `graceSeconds` so senders can be switched over. */
  async rotateSecret(id: string, graceSeconds = DEFAULT_GRACE_SECONDS, audit: AuditContext = SYSTEM_AUDIT): Promise<{ integration: Integration; secret: string }> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
      throw badInput('gracePeriodSeconds', `must be between 0 and ${MAX_GRACE_SECONDS}`);
    }
    const current = await this.auth(id);
    if (!current) throw notFound('integration', id);
    const secret = generateSecret('whk_');
    const now = this.clock.now();
    await this.saveAndAnnounce(
      id,
      {
        secretHash: hashSecret(secret),
        previousSecretHash: current.secretHash,
        previousSecretExpiresAt: new Date(now.getTime() + graceSeconds * 1000),
        updatedAt: now,
      },
      audit,
      'integration.rotateSecret',
    );
    return { integration: await this.get(id), secret };
  }

  async get(id: string): Promise<Integration> {
    const integration = await this.db.getRepository(Integration).findOneBy({ id: requireUuid('id', id) });
    if (!integration) throw notFound('integration', id);
    return integration;
  }

  async byIds(ids: readonly string[]): Promise<Integration[]> {
    return this.db.getRepository(Integration).createQueryBuilder('i').where('i.id = ANY(:ids)', { ids }).getMany();
  }

  /** Integrations by name, then id, keyset-paginated (secrets are never selected). */
  async list(filter: IntegrationFilter = {}, page: PageArgs = {}): Promise<Page<Integration>> {
    const query = this.db.getRepository(Integration).createQueryBuilder('i');
    if (filter.nameContains) query.andWhere(`i.name ILIKE :name ESCAPE '\\'`, { name: containsPattern('filter.nameContains', filter.nameContains) });
    if (filter.vendor?.length) query.andWhere('i.vendor = ANY(:vendors)', { vendors: filter.vendor });
    if (filter.serviceId?.length) {
      query.andWhere('i.service_id = ANY(:serviceIds)', { serviceIds: filter.serviceId.map((id) => requireUuid('filter.serviceId', id)) });
    }
    if (filter.enabled !== null && filter.enabled !== undefined) query.andWhere('i.enabled = :enabled', { enabled: filter.enabled });
    if (filter.silent !== null && filter.silent !== undefined) {
      query.andWhere(filter.silent ? silentCondition('i') : `NOT ${silentCondition('i')}`, { now: this.clock.now() });
    }
    return pageByName(query, 'i', page);
  }

  /** Secrets and credentials included: for the gateway only, never for the API. */
  async auth(id: string): Promise<IntegrationAuth | null> {
    return authIn(this.db.manager, id);
  }

  /**
   * The integration whose current secret, or previous one within its grace period, has this hash: for the vendor APIs
   * whose key is the only thing a request carries (PagerDuty's routing_key, Opsgenie's GenieKey). Looked up by the
   * SHA-256 of the key, so the index lookup's timing tells nothing about the key; the caller still compares the hash.
   */
  async idBySecretHash(secretHash: string): Promise<string | null> {
    const [row] = await this.db.query(
      `SELECT id FROM integration WHERE secret_hash = $1
       UNION ALL
       SELECT id FROM integration WHERE previous_secret_hash = $1 AND previous_secret_expires_at > $2
       LIMIT 1`,
      [secretHash, this.clock.now()],
    );
    return row?.id ?? null;
  }

  /** A STATUS_FEED integration polls its feed: it needs one, at a URL this server may reach (the guard of outbound URLs). */
  private async checkStatusFeed(vendor: Vendor, options: IntegrationOptions): Promise<void> {
    if (vendor !== Vendor.STATUS_FEED) {
      if (options.statusFeed) throw badInput('options.statusFeed', 'only a STATUS_FEED integration polls a feed');
      return;
    }
    if (!options.statusFeed) throw badInput('options.statusFeed', 'a STATUS_FEED integration needs the feed to poll: {url, format, pollIntervalSeconds}');
    const problem = await outboundUrlProblem(options.statusFeed.url, this.feedUrls);
    if (problem) throw badInput('options.statusFeed.url', problem);
  }

  private async saveAndAnnounce(id: string, patch: Partial<Integration>, audit: AuditContext, action: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const before = await authIn(manager, id, 'FOR UPDATE');
      if (!before) throw notFound('integration', id);
      await manager.getRepository(Integration).update({ id }, patch);
      await this.auditLog.record(manager, audit, { action, targetType: AuditTargetType.INTEGRATION, targetId: before.id, changes: integrationChanges(before, await authIn(manager, id)) });
      await emitChange(manager, { topic: 'INTEGRATION_CHANGED', integrationId: id });
    });
    // Other instances hear INTEGRATION_CHANGED; this one must not wait for it (a delivery right after the
    // answer to a rotation would still meet the old secret).
    this.onCommittedChange(id);
  }
}

function expectedInterval(seconds: number | null): number | null {
  if (seconds === null) return null;
  const { min, max } = EXPECTED_INTERVAL_SECONDS;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) throw badInput('expectedDeliveryIntervalSeconds', `must be a whole number of seconds from ${min} to ${max}, or null`);
  return seconds;
}

/** The gateway's view of an integration, with the settings the audit log compares besides. */
type AuditedIntegration = IntegrationAuth & { expectedDeliveryIntervalSeconds: number | null };

async function authIn(manager: EntityManager, id: string, lock: '' | 'FOR UPDATE' = ''): Promise<AuditedIntegration | null> {
  const [row] = await manager.query(
    `SELECT id, name, vendor, service_id, enabled, options, secret_hash, previous_secret_hash, previous_secret_expires_at, vendor_credential,
            expected_delivery_interval_seconds
       FROM integration WHERE id = $1 ${lock}`,
    [id],
  );
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    vendor: row.vendor,
    serviceId: row.service_id,
    enabled: row.enabled,
    options: row.options,
    secretHash: row.secret_hash,
    previousSecretHash: row.previous_secret_hash,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    vendorCredential: row.vendor_credential,
    expectedDeliveryIntervalSeconds: row.expected_delivery_interval_seconds,
  };
}

function integrationChanges(before: AuditedIntegration | null, after: AuditedIntegration | null): FieldChanges {
  const fields = (auth: AuditedIntegration | null) => auth && { ...auth, secret: auth.secretHash };
  return diffFields(fields(before), fields(after), INTEGRATION_FIELDS, { secret: INTEGRATION_SECRETS });
}
