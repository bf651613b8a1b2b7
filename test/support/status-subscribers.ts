import type { DataSource } from 'typeorm';
import { SubscriberChannel } from '../../src/shared/enums';

export interface SubscriberRow {
  /** The page's slug; `main` unless given. */
  page?: string;
  channel: SubscriberChannel;
  address: string;
  /** Empty: the whole page. */
  serviceIds?: string[];
  signingSecret?: string | null;
  /** Long ago unless given; null: not confirmed (yet). */
  confirmedAt?: Date | null;
  unsubscribedAt?: Date | null;
}

const LONG_AGO = new Date('2000-01-01T00:00:00Z');

/**
 * Subscribers written straight into status_subscriber, as the subscribe/confirm/unsubscribe endpoints leave them
 * (those are tested on their own): active means confirmed and not unsubscribed. Returns their ids, in order.
 */
export async function insertSubscribers(db: DataSource, rows: SubscriberRow[]): Promise<string[]> {
  const inserted: Array<{ id: string }> = await db.query(
    `INSERT INTO status_subscriber (page_id, channel, address, service_ids, signing_secret, confirmed_at, unsubscribed_at, created_at, updated_at)
     SELECT p.id, r.channel, r.address, r.service_ids::uuid[], r.signing_secret, r.confirmed_at, r.unsubscribed_at, $8, $8
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[]) WITH ORDINALITY
            AS r(page, channel, address, service_ids, signing_secret, confirmed_at, unsubscribed_at, n)
       JOIN status_page p ON p.slug = r.page
      ORDER BY r.n
     RETURNING id`,
    [
      rows.map((row) => row.page ?? 'main'),
      rows.map((row) => row.channel),
      rows.map((row) => row.address),
      rows.map((row) => `{${(row.serviceIds ?? []).join(',')}}`),
      rows.map((row) => row.signingSecret ?? null),
      rows.map((row) => (row.confirmedAt === undefined ? LONG_AGO : row.confirmedAt)),
      rows.map((row) => row.unsubscribedAt ?? null),
      LONG_AGO,
    ],
  );
  if (inserted.length !== rows.length) throw new Error(`inserted ${inserted.length} of ${rows.length} subscribers (is every page slug there?)`);
  return inserted.map((row) => row.id);
}

/** Everyone subscribed so far unsubscribes, so a test starts with its own subscribers only. */
export async function unsubscribeEveryone(db: DataSource, at: Date): Promise<void> {
  await db.query(`UPDATE status_subscriber SET unsubscribed_at = $1, updated_at = $1 WHERE unsubscribed_at IS NULL`, [at]);
}
