import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ActorType, Role } from '../schema/enums';
import { ApiToken } from '../schema/api-token.entity';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { conflict, notFound } from '../shared/domain-error';
import { requireText, requireUuid } from './validation';

const TOKEN_PREFIX = 'ib_';
/** last_used_at is written at most this often per token, so reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function generateSecret(prefix = TOKEN_PREFIX): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export class ApiTokenService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Returns the token and its secret; the secret is never retrievable again. */
  async create(input: { name: string; role: Role; personId?: string | null }, secret = generateSecret()): Promise<{ token: ApiToken; secret: string }> {
    const token = this.db.getRepository(ApiToken).create({
      name: requireText('name', input.name, 200),
      role: input.role,
      personId: input.personId ? requireUuid('personId', input.personId) : null,
      secretHash: hashSecret(secret),
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    });
    await this.db.getRepository(ApiToken).insert(token);
    return { token, secret };
  }

  async revoke(id: string): Promise<ApiToken> {
    const repository = this.db.getRepository(ApiToken);
    const token = await repository.findOneBy({ id: requireUuid('id', id) });
    if (!token) throw notFound('API token', id);
    if (token.revokedAt) throw conflict(`API token ${id} is already revoked`);
    token.revokedAt = this.clock.now();
    await repository.update({ id }, { revokedAt: token.revokedAt });
    return token;
  }

  async list(): Promise<ApiToken[]> {
    return this.db.getRepository(ApiToken).find({ order: { createdAt: 'DESC' }, take: 1000 });
  }

  /** The actor a bearer secret stands for, or null for an unknown or revoked one. */
  async authenticate(secret: string): Promise<Actor | null> {
    const token = await this.db.getRepository(ApiToken).findOneBy({ secretHash: hashSecret(secret) });
    if (!token || token.revokedAt) return null;
    const now = this.clock.now();
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.getRepository(ApiToken).update({ id: token.id }, { lastUsedAt: now });
    }
    return { type: ActorType.TOKEN, id: token.id, name: token.name, role: token.role, personId: token.personId };
  }

  /**
   * On an empty token table, creates the first admin token (from BOOTSTRAP_ADMIN_TOKEN when given)
   * and returns its secret once; returns null when tokens already exist.
   */
  async bootstrapAdmin(configuredSecret?: string): Promise<string | null> {
    return this.db.transaction(async (manager) => {
      await manager.query('LOCK TABLE api_token IN EXCLUSIVE MODE');
      if (configuredSecret) {
        if (await manager.getRepository(ApiToken).existsBy({ secretHash: hashSecret(configuredSecret) })) return null;
      } else if ((await manager.getRepository(ApiToken).count()) > 0) {
        return null;
      }
      const secret = configuredSecret ?? generateSecret();
      await manager.getRepository(ApiToken).insert({
        name: 'bootstrap admin',
        role: Role.ADMIN,
        personId: null,
        secretHash: hashSecret(secret),
        createdAt: this.clock.now(),
      });
      return secret;
    });
  }
}
