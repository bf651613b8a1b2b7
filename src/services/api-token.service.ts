import type { DataSource, EntityManager } from 'typeorm';
import { emitChange } from '../db/changes';
import { AuditTargetType } from '../schema/enums';
import { ActorType, Role } from '../schema/enums';
import { ApiToken } from '../schema/api-token.entity';
import type { Actor } from '../shared/actor';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { badInput, conflict, notFound } from '../shared/domain-error';
import { generateSecret, hashSecret } from '../shared/secrets';
import { diffFields } from './audit-changes';
import type { AuditService } from './audit.service';
import { requireText, requireUuid } from './validation';

const TOKEN_PREFIX = 'ib_';
/** last_used_at is written at most this often per token, so reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Serialises revoking and changing tokens (rare), so two admins revoking each other at once cannot both succeed. */
const TOKEN_CHANGE_LOCK = 'SELECT pg_advisory_xact_lock(7210001)';
/** What the audit log records of a token: never its secret, nor the hash of it. */
const TOKEN_FIELDS = ['name', 'role', 'personId', 'expiresAt', 'revokedAt'] as const;

/** Who a secret stands for, and until when. */
export interface AuthenticatedToken {
  actor: Actor;
  expiresAt: Date | null;
}

/** A token's authority as it is now: what open connections of it are checked against. */
export interface TokenStanding {
  role: Role;
  active: boolean;
}

export interface ApiTokenPatch {
  name?: string | null;
  role?: Role | null;
  expiresAt?: Date | null;
  clearExpiry?: boolean | null;
}

export class ApiTokenService {
  /** Called once a revocation or change committed, before it is answered: this instance acts on it at once. */
  onCommittedChange: (tokenId: string) => void = () => {};

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditService,
  ) {}

  /** Returns the token and its secret; the secret is never retrievable again. */
  async create(
    input: { name: string; role: Role; personId?: string | null; expiresAt?: Date | null },
    secret = generateSecret(TOKEN_PREFIX),
    audit: AuditContext = SYSTEM_AUDIT,
  ): Promise<{ token: ApiToken; secret: string }> {
    const now = this.clock.now();
    const token = this.db.getRepository(ApiToken).create({
      name: requireText('name', input.name, 200),
      role: input.role,
      personId: input.personId ? requireUuid('personId', input.personId) : null,
      secretHash: hashSecret(secret),
      createdAt: now,
      lastUsedAt: null,
      revokedAt: null,
      expiresAt: input.expiresAt ? this.futureInstant('expiresAt', input.expiresAt) : null,
      updatedAt: null,
    });
    await this.db.transaction(async (manager) => {
      await manager.getRepository(ApiToken).insert(token);
      await this.auditLog.record(manager, audit, { action: 'apiToken.create', targetType: AuditTargetType.API_TOKEN, targetId: token.id, changes: diffFields(null, token, TOKEN_FIELDS) });
    });
    return { token, secret };
  }

  /** Revokes a token at once, on every instance; the last ADMIN token that never expires cannot be revoked. */
  async revoke(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<ApiToken> {
    const revoked = await this.db.transaction(async (manager) => {
      const token = await this.lockedToken(manager, id);
      if (token.revokedAt) throw conflict(`API token ${id} is already revoked`);
      if (token.role === Role.ADMIN) await this.refuseLastAdmin(manager, token, 'revoke');
      const before = { ...token };
      token.revokedAt = this.clock.now();
      await manager.getRepository(ApiToken).update({ id: token.id }, { revokedAt: token.revokedAt });
      await this.auditLog.record(manager, audit, { action: 'apiToken.revoke', targetType: AuditTargetType.API_TOKEN, targetId: token.id, changes: diffFields(before, token, TOKEN_FIELDS) });
      await emitChange(manager, { topic: 'API_TOKEN_CHANGED', tokenId: token.id });
      return token;
    });
    // Other instances hear API_TOKEN_CHANGED; on this one the token must not work for a moment longer.
    this.onCommittedChange(revoked.id);
    return revoked;
  }

  /** Renames, changes the role or the expiry of a token; the last ADMIN token that never expires cannot be demoted or given an expiry. */
  async update(id: string, patch: ApiTokenPatch, audit: AuditContext = SYSTEM_AUDIT): Promise<ApiToken> {
    if (patch.expiresAt && patch.clearExpiry) throw badInput('clearExpiry', 'cannot be set together with expiresAt');
    const updated = await this.db.transaction(async (manager) => {
      const token = await this.lockedToken(manager, id);
      if (token.revokedAt) throw conflict(`API token ${id} is revoked`);
      const changes: Partial<ApiToken> = {};
      if (patch.name !== undefined && patch.name !== null) changes.name = requireText('name', patch.name, 200);
      if (patch.role && patch.role !== token.role) changes.role = patch.role;
      if (patch.expiresAt) changes.expiresAt = this.futureInstant('expiresAt', patch.expiresAt);
      if (patch.clearExpiry) changes.expiresAt = null;
      if (token.role === Role.ADMIN && changes.role) await this.refuseLastAdmin(manager, token, 'demote');
      else if (token.role === Role.ADMIN && changes.expiresAt) await this.refuseLastAdmin(manager, token, 'set an expiry on');
      const changed = diffFields(token, { ...token, ...changes }, TOKEN_FIELDS);
      await this.auditLog.record(manager, audit, { action: 'apiToken.update', targetType: AuditTargetType.API_TOKEN, targetId: token.id, changes: changed });
      if (Object.keys(changes).length === 0) return token;
      changes.updatedAt = this.clock.now();
      await manager.getRepository(ApiToken).update({ id: token.id }, changes);
      await emitChange(manager, { topic: 'API_TOKEN_CHANGED', tokenId: token.id });
      return Object.assign(token, changes);
    });
    this.onCommittedChange(updated.id);
    return updated;
  }

  async list(): Promise<ApiToken[]> {
    return this.db.getRepository(ApiToken).find({ order: { createdAt: 'DESC' }, take: 1000 });
  }

  /** The actor a bearer secret stands for, or null for an unknown, revoked or expired one. */
  async authenticate(secret: string): Promise<AuthenticatedToken | null> {
    const token = await this.db.getRepository(ApiToken).findOneBy({ secretHash: hashSecret(secret) });
    const now = this.clock.now();
    if (!token || !isActive(token, now)) return null;
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.getRepository(ApiToken).update({ id: token.id }, { lastUsedAt: now });
    }
    return {
      actor: { type: ActorType.TOKEN, id: token.id, name: token.name, role: token.role, personId: token.personId },
      expiresAt: token.expiresAt,
    };
  }

  /** Role and activity of the given tokens, in one statement; unknown ids are missing from the answer. */
  async standings(ids: readonly string[]): Promise<Map<string, TokenStanding>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; role: Role; revoked_at: Date | null; expires_at: Date | null }> = await this.db.query(
      `SELECT id, role, revoked_at, expires_at FROM api_token WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const now = this.clock.now();
    return new Map(rows.map((row) => [row.id, { role: row.role, active: isActive({ revokedAt: row.revoked_at, expiresAt: row.expires_at }, now) }]));
  }

  /**
   * On an empty token table, creates the first admin token (from BOOTSTRAP_ADMIN_TOKEN when given)
   * and returns its secret once; returns null when tokens already exist. With BOOTSTRAP_ADMIN_TOKEN set to
   * a new secret it also adds that admin token to a database that has tokens: the way back in when
   * every admin token is lost.
   */
  async bootstrapAdmin(configuredSecret?: string): Promise<string | null> {
    return this.db.transaction(async (manager) => {
      await manager.query('LOCK TABLE api_token IN EXCLUSIVE MODE');
      if (configuredSecret) {
        if (await manager.getRepository(ApiToken).existsBy({ secretHash: hashSecret(configuredSecret) })) return null;
      } else if ((await manager.getRepository(ApiToken).count()) > 0) {
        return null;
      }
      const secret = configuredSecret ?? generateSecret(TOKEN_PREFIX);
      const token = manager.getRepository(ApiToken).create({
        name: 'bootstrap admin',
        role: Role.ADMIN,
        personId: null,
        secretHash: hashSecret(secret),
        createdAt: this.clock.now(),
      });
      await manager.getRepository(ApiToken).insert(token);
      // Not a mutation, but a new admin credential all the same: the log says when one appeared.
      await this.auditLog.record(manager, SYSTEM_AUDIT, { action: 'apiToken.create', targetType: AuditTargetType.API_TOKEN, targetId: token.id, changes: diffFields(null, token, TOKEN_FIELDS) });
      return secret;
    });
  }

  /** The token, read after taking the token-change lock. */
  private async lockedToken(manager: EntityManager, id: string): Promise<ApiToken> {
    const tokenId = requireUuid('id', id);
    await manager.query(TOKEN_CHANGE_LOCK);
    const token = await manager.getRepository(ApiToken).findOneBy({ id: tokenId });
    if (!token) throw notFound('API token', id);
    return token;
  }

  /**
   * Refuses when no other admin token that never expires would remain: nobody could manage tokens any more
   * (at once, or when the expiring ones run out).
   */
  private async refuseLastAdmin(manager: EntityManager, token: ApiToken, action: 'revoke' | 'demote' | 'set an expiry on'): Promise<void> {
    const others: Array<{ id: string }> = await manager.query(
      `SELECT id FROM api_token WHERE role = 'ADMIN' AND revoked_at IS NULL AND expires_at IS NULL AND id <> $1 LIMIT 1`,
      [token.id],
    );
    if (others.length === 0) {
      throw conflict(`cannot ${action} the last ADMIN token that never expires: create another one first (README: "Recovering admin access")`);
    }
  }

  private futureInstant(field: string, value: Date): Date {
    if (Number.isNaN(value.getTime())) throw badInput(field, 'must be a valid instant');
    if (value.getTime() <= this.clock.now().getTime()) throw badInput(field, 'must be in the future');
    return value;
  }
}

function isActive(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): boolean {
  return !token.revokedAt && (!token.expiresAt || token.expiresAt.getTime() > now.getTime());
}
