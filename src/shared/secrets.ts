import { createHash, randomBytes } from 'node:crypto';

/** Secrets (API tokens, integration keys) are stored only as this SHA-256 hex digest. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** 32 random bytes, base64url, after a prefix that tells what the secret is for (`ib_` tokens, `whk_` webhooks). */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}
