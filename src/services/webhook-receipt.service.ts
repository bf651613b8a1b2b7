import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../shared/clock';

/** A vendor's own id for one delivery (Twilio's MessageSid), unique within its integration. */
export interface WebhookReceipt {
  integrationId: string;
  deliveryId: string;
}

/** Vendors retry within hours (Twilio for up to a day); a week of receipts covers every retry. */
const RECEIPT_RETENTION_DAYS = 7;

export function receiptKey(receipt: WebhookReceipt): string {
  return `${receipt.integrationId}\u0000${receipt.deliveryId}`;
}

/**
 * Records deliveries as taken in, inside the caller's transaction, and returns the keys of those seen for the
 * first time. A concurrent transaction claiming the same id waits for this one: if it commits the other finds the
 * id taken, if it rolls back the other takes it, so a delivery counts exactly once.
 */
export async function claimWebhookReceipts(manager: EntityManager, receipts: WebhookReceipt[], now: Date): Promise<Set<string>> {
  const unique = [...new Map(receipts.map((receipt) => [receiptKey(receipt), receipt])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!unique.length) return new Set();
  const rows: Array<{ integration_id: string; delivery_id: string }> = await manager.query(
    `INSERT INTO webhook_receipt (integration_id, delivery_id, received_at)
     SELECT integration_id, delivery_id, $3 FROM unnest($1::uuid[], $2::text[]) AS r(integration_id, delivery_id)
     ON CONFLICT DO NOTHING RETURNING integration_id, delivery_id`,
    [unique.map(([, receipt]) => receipt.integrationId), unique.map(([, receipt]) => receipt.deliveryId), now],
  );
  return new Set(rows.map((row) => receiptKey({ integrationId: row.integration_id, deliveryId: row.delivery_id })));
}

export class WebhookReceiptService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Forgets receipts older than any retry. Returns how many went. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - RECEIPT_RETENTION_DAYS * 24 * 3600_000);
    const [, deleted] = (await this.db.query(`DELETE FROM webhook_receipt WHERE received_at < $1`, [cutoff])) as [unknown, number];
    return deleted;
  }
}
