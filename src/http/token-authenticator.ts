import { performance } from 'node:perf_hooks';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { ApiTokenService, AuthenticatedToken } from '../services/api-token.service';
import type { AuthFailureLimiter } from '../shared/auth-failure-limiter';
import type { Clock } from '../shared/clock';
import { hashSecret } from '../shared/secrets';

/** How long an answer about a secret is reused; a revocation also drops it at once (invalidate). */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Reads `Bearer <secret>` (an HTTP header or WebSocket connectionParams) for every operation and answers who it
 * stands for. Answers are kept a few seconds, so a busy client costs no query per operation, and dropped as soon
 * as the token changes on any instance (API_TOKEN_CHANGED) or expires.
 */
export class TokenAuthenticator {
  private readonly cache = new Map<string, { token: AuthenticatedToken | null; checkedAt: number }>();
  /** Bumped by every invalidation: a lookup that was in flight meanwhile does not store its answer. */
  private generation = 0;

  constructor(
    private readonly tokens: ApiTokenService,
    private readonly clock: Clock,
    private readonly failures: AuthFailureLimiter,
  ) {}

  /**
   * `from` is the client's address when the caller is someone new (an HTTP request, a WebSocket connection):
   * its failures are counted, and an address that has used them up is refused with 429 before its token is
   * looked at. The re-check of an open connection's own token passes none.
   */
  async authenticate(header: unknown, from?: string): Promise<AuthenticatedToken> {
    const wait = from === undefined ? 0 : this.failures.retryAfterSeconds(from);
    if (wait > 0) {
      throw new GraphQLError(`too many failed authentications from this address; retry in ${wait} s`, {
        extensions: { code: 'TOO_MANY_AUTH_FAILURES', retryAfterSeconds: wait, http: { status: 429, headers: new HeaderMap([['retry-after', String(wait)]]) } },
      });
    }
    const value = typeof header === 'string' ? header.trim() : '';
    const match = /^Bearer\s+(\S+)$/i.exec(value);
    const token = match ? await this.lookUp(match[1]) : null;
    if (!token) {
      if (from !== undefined) this.failures.recordFailure(from);
      throw new GraphQLError(match ? 'the API token is unknown, revoked or expired' : 'send an API token as "Authorization: Bearer <token>"', {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    }
    return token;
  }

  /** Forgets what is known about a token, so its next use is checked against the database. */
  invalidate(tokenId: string): void {
    this.generation += 1;
    // Unknown, revoked and expired secrets are remembered as null: one of them may be the token that changed.
    for (const [hash, entry] of this.cache) if (!entry.token || entry.token.actor.id === tokenId) this.cache.delete(hash);
  }

  /** Forgets everything: token changes may have been missed. */
  clear(): void {
    this.generation += 1;
    this.cache.clear();
  }

  private async lookUp(secret: string): Promise<AuthenticatedToken | null> {
    const hash = hashSecret(secret);
    const cached = this.cache.get(hash);
    if (cached && performance.now() - cached.checkedAt < CACHE_TTL_MS) {
      return cached.token && !expired(cached.token, this.clock.now().getTime()) ? cached.token : null;
    }
    const generation = this.generation;
    const checkedAt = performance.now();
    const token = await this.tokens.authenticate(secret);
    if (generation === this.generation) {
      // Emptied when full, so random guesses cannot grow it.
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
      this.cache.set(hash, { token, checkedAt });
    }
    return token;
  }
}

function expired(token: AuthenticatedToken, now: number): boolean {
  return token.expiresAt !== null && token.expiresAt.getTime() <= now;
}
