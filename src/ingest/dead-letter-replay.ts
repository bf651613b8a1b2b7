import type { DeadLetter } from '../schema/dead-letter.entity';
import type { DeadLetterReplayer, DeadLetterService } from '../services/dead-letter.service';
import type { IntegrationService } from '../services/integration.service';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import { conflict } from '../shared/domain-error';
import type { IntegrationCache } from './integration-cache';
import type { WebhookProcessor } from './webhook-processor';
import { UNAUTHENTICATED_REASONS } from './webhook-auth';

/** Runs a kept delivery through the pipeline again, after its integration was fixed. */
export class DeadLetterReplay implements DeadLetterReplayer {
  constructor(
    private readonly deadLetters: DeadLetterService,
    private readonly integrations: IntegrationService,
    private readonly cache: IntegrationCache,
    private readonly processor: WebhookProcessor,
  ) {}

  async replay(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<{ deadLetter: DeadLetter; accepted: boolean }> {
    const letter = await this.deadLetters.get(id);
    if (letter.replayedAt) throw conflict(`dead letter ${id} was already replayed`);
    if (!letter.integrationId) throw conflict('this delivery named no existing integration; it cannot be replayed');
    if (UNAUTHENTICATED_REASONS.has(letter.reason)) throw conflict(`a delivery rejected as ${letter.reason} was never authenticated; it cannot be replayed`);
    if (!letter.body) throw conflict('the body of this delivery was not kept (it was over the size limit)');
    this.cache.invalidate(letter.integrationId);
    const integration = await this.integrations.auth(letter.integrationId);
    if (!integration) throw conflict(`integration ${letter.integrationId} no longer exists`);
    if (!integration.enabled) throw conflict(`integration ${integration.id} is disabled; enable it before replaying`);
    const outcome = await this.processor.process(integration, {
      contentType: letter.contentType ?? undefined,
      headers: letter.headers,
      body: letter.body,
      publicUrl: '',
      replay: true,
    });
    const succeeded = outcome.status === 202;
    const result = succeeded
      ? { status: 202, alerts: outcome.alerts, ...outcome.result }
      : { status: outcome.status, reason: outcome.reason, error: outcome.error, details: outcome.details };
    return { deadLetter: await this.deadLetters.markReplayed(id, result, succeeded, audit), accepted: succeeded };
  }
}
