import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { ApiTokenService, AuthenticatedToken } from '../services/api-token.service';
import type { Clock } from '../shared/clock';

/** graphql-ws's Forbidden: the client may reconnect, and is then checked again. */
export const TOKEN_CHANGED_CLOSE_CODE = 4403;
/**
 * Open sockets' tokens are checked again this often even without a change notification, so a revocation
 * missed while the LISTEN connection was down still closes them within seconds.
 */
const RECHECK_INTERVAL_MS = 5_000;
/** setTimeout's longest delay; a later expiry is caught by the periodic re-check instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Session {
  socket: WebSocket;
  token: AuthenticatedToken;
  expiryTimer: NodeJS.Timeout | null;
}

/**
 * The open WebSocket connections of each API token. A connection lives as long as its token keeps the
 * authority it connected with: revoked, expired or given another role, the token's sockets are closed with
 * 4403 on every instance (each instance hears API_TOKEN_CHANGED and re-checks its own sockets).
 */
export class SocketSessions {
  private readonly byToken = new Map<string, Set<Session>>();
  private readonly sessionOf = new WeakMap<WebSocket, Session>();
  private recheckTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly tokens: ApiTokenService,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.recheckTimer = setInterval(() => void this.recheckAll(), RECHECK_INTERVAL_MS);
    this.recheckTimer.unref();
  }

  stop(): void {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    for (const sessions of this.byToken.values()) for (const session of sessions) this.forget(session);
  }

  /** Registers an open socket; false when it closed meanwhile (its close would never be heard). */
  add(socket: WebSocket, token: AuthenticatedToken): boolean {
    if (socket.readyState !== socket.OPEN) return false;
    const tokenId = token.actor.id!;
    const session: Session = { socket, token, expiryTimer: null };
    if (token.expiresAt) {
      const delay = token.expiresAt.getTime() - this.clock.now().getTime();
      if (delay <= MAX_TIMER_MS) session.expiryTimer = setTimeout(() => this.close(session, 'API token expired'), Math.max(0, delay));
    }
    let sessions = this.byToken.get(tokenId);
    if (!sessions) this.byToken.set(tokenId, (sessions = new Set()));
    sessions.add(session);
    this.sessionOf.set(socket, session);
    socket.once('close', () => this.forget(session));
    return true;
  }

  /** Open connections being watched (for /metrics and tests). */
  size(): number {
    let total = 0;
    for (const sessions of this.byToken.values()) total += sessions.size;
    return total;
  }

  /** The token a socket connected with. */
  tokenOf(socket: WebSocket): AuthenticatedToken | undefined {
    return this.sessionOf.get(socket)?.token;
  }

  /** Closes a socket whose token no longer carries the authority it connected with. */
  close(session: { socket: WebSocket }, reason: string): void {
    const known = this.sessionOf.get(session.socket);
    if (known) this.forget(known);
    session.socket.close(TOKEN_CHANGED_CLOSE_CODE, reason);
  }

  /** Re-checks the tokens of every open connection (token changes may have been missed). */
  recheckAll(): Promise<void> {
    return this.recheck([...this.byToken.keys()]);
  }

  /** Checks the tokens' current standing in one statement and closes the sockets of those that lost it. */
  async recheck(tokenIds: readonly string[]): Promise<void> {
    const open = tokenIds.filter((id) => this.byToken.has(id));
    if (!open.length) return;
    let standings;
    try {
      standings = await this.tokens.standings(open);
    } catch (error) {
      this.log.warn({ err: error }, 'could not re-check the tokens of open WebSocket connections; will retry');
      return;
    }
    for (const tokenId of open) {
      const standing = standings.get(tokenId);
      for (const session of [...(this.byToken.get(tokenId) ?? [])]) {
        if (!standing?.active) this.close(session, 'API token revoked or expired');
        else if (standing.role !== session.token.actor.role) this.close(session, `API token role changed to ${standing.role}; reconnect`);
      }
    }
  }

  private forget(session: Session): void {
    if (session.expiryTimer) clearTimeout(session.expiryTimer);
    const tokenId = session.token.actor.id!;
    const sessions = this.byToken.get(tokenId);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byToken.delete(tokenId);
    this.sessionOf.delete(session.socket);
  }
}
