import type { WebhookReceiptService } from '../services/webhook-receipt.service';
import type { Job } from './job';

/** Forgets vendors' delivery ids once no retry of them can come any more (idempotent: no claim needed). */
export function webhookReceiptRetentionJob(receipts: WebhookReceiptService, schedule = '0 5 * * * *'): Job {
  return { name: 'webhook-receipt-retention', schedule, run: () => receipts.prune() };
}
