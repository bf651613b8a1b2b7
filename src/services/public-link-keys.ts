import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** What a link token lets its holder do. */
export type LinkPurpose = 'confirm' | 'unsubscribe' | 'analytics-report';

const PUBLIC_ID_LENGTH = 12;
const TOKEN_MAC_BYTES = 18;

/**
 * The keys of public links: public ids (so no internal id, usable elsewhere, reaches a public surface: status pages,
 * RCA views) and the tokens in subscribers' and analytics links, both HMACs over one random key stored in the database (created at first use, the same on every
 * instance). Nothing a link carries is stored, and a token names its subscriber, purpose and (for confirm) expiry.
 */
export class PublicLinkKeys {
  private key: Promise<Buffer> | null = null;

  constructor(private readonly db: DataSource) {}

  /** A stable public id for an internal one: 12 lower-case base-32 characters. */
  async publicId(kind: string, internalId: string): Promise<string> {
    return publicIdWith(await this.secret(), kind, internalId);
  }

  /** The function, for mapping many ids at once. */
  async publicIds(): Promise<(kind: string, internalId: string) => string> {
    const key = await this.secret();
    return (kind, internalId) => publicIdWith(key, kind, internalId);
  }

  /** `<subscriber id>.<expiry seconds or 0>.<mac>`, URL-safe. */
  async linkToken(purpose: LinkPurpose, subscriberId: string, expiresAt: Date | null = null): Promise<string> {
    const expiry = expiresAt ? Math.floor(expiresAt.getTime() / 1000) : 0;
    const body = `${subscriberId}.${expiry}`;
    return `${body}.${mac(await this.secret(), purpose, body)}`;
  }

  /**
   * The subscriber a token was made for, or why not: `invalid` for a token not made by us for this purpose,
   * `expired` for one past its expiry at `now`.
   */
  async verifyLinkToken(purpose: LinkPurpose, token: string, now: Date): Promise<{ subscriberId: string } | { error: 'invalid' | 'expired' }> {
    const match = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{1,64})$/.exec(token);
    if (!match) return { error: 'invalid' };
    const [, subscriberId, expiry, given] = match;
    const expected = Buffer.from(mac(await this.secret(), purpose, `${subscriberId}.${expiry}`));
    const actual = Buffer.from(given);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { error: 'invalid' };
    if (expiry !== '0' && Number(expiry) * 1000 <= now.getTime()) return { error: 'expired' };
    return { subscriberId };
  }

  /** A MAC over `body` for `purpose`, URL-safe, for links whose whole content is signed (the analytics report's). */
  async sign(purpose: LinkPurpose, body: string): Promise<string> {
    return mac(await this.secret(), purpose, body);
  }

  async verify(purpose: LinkPurpose, body: string, given: string): Promise<boolean> {
    const expected = Buffer.from(mac(await this.secret(), purpose, body));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  private secret(): Promise<Buffer> {
    this.key ??= this.loadKey().catch((error: unknown) => {
      this.key = null;
      throw error;
    });
    return this.key;
  }

  private async loadKey(): Promise<Buffer> {
    await this.db.query(`INSERT INTO status_secret (name, value, created_at) VALUES ('links', $1, now()) ON CONFLICT DO NOTHING`, [randomBytes(32)]);
    const [row] = await this.db.query(`SELECT value FROM status_secret WHERE name = 'links'`);
    return row.value as Buffer;
  }
}

function mac(key: Buffer, purpose: LinkPurpose, body: string): string {
  return createHmac('sha256', key).update(`${purpose}:${body}`).digest().subarray(0, TOKEN_MAC_BYTES).toString('base64url');
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function publicIdWith(key: Buffer, kind: string, internalId: string): string {
  const digest = createHmac('sha256', key).update(`public-id:${kind}:${internalId}`).digest();
  let id = '';
  for (let i = 0; i < PUBLIC_ID_LENGTH; i += 1) id += BASE32[digest[i] % 32];
  return id;
}
