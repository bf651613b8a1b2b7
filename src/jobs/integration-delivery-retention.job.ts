import type { IntegrationDeliveryService } from '../services/integration-delivery.service';
import type { Job } from './job';

/**
 * Deletes integration deliveries past INTEGRATION_DELIVERY_LOG_DAYS and beyond each integration's
 * INTEGRATION_DELIVERY_LOG_ROWS (writes cut the integrations they touch already; this catches a lowered bound).
 * Deleting is idempotent, so instances running it at the same time need no claim.
 */
export function integrationDeliveryRetentionJob(deliveries: IntegrationDeliveryService, schedule = '0 */10 * * * *'): Job {
  return { name: 'integration-delivery-retention', schedule, run: () => deliveries.prune() };
}
