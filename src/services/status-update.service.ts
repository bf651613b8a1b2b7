import type { DataSource, EntityManager } from 'typeorm';
import type { Audience } from '../schema/enums';
import type { Incident } from '../schema/incident.entity';
import { StatusUpdate } from '../schema/status-update.entity';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import type { CommunicationService } from './communication.service';
import type { IncidentService } from './incident.service';
import { appendTimeline } from './timeline.service';
import { requireText, requireUuid } from './validation';

/** What else an update does, in the same transaction (telling status subscribers); services/index.ts composes it. */
export type StatusUpdateListener = (manager: EntityManager, incident: Incident, update: StatusUpdate) => Promise<unknown>;

export class StatusUpdateService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly incidents: IncidentService,
    private readonly communication: CommunicationService | null = null,
    private readonly posted: StatusUpdateListener | null = null,
  ) {}

  /**
   * Posts the update and, in the same transaction, meets the communication obligation of its audience (planning the
   * next) and tells the listener (a PUBLIC update reaches the status page's subscribers).
   */
  async post(actor: Actor, incidentId: string, body: string, audience: Audience): Promise<StatusUpdate> {
    requireUuid('incidentId', incidentId);
    const text = requireText('body', body, 10000);
    return this.db.transaction(async (manager) => {
      const incident = await this.incidents.lock(manager, incidentId);
      const now = this.clock.now();
      const update = manager.create(StatusUpdate, { incidentId, body: text, audience, authorName: actor.name, postedAt: now, incidentStatus: incident.status });
      await manager.insert(StatusUpdate, update);
      await appendTimeline(manager, actor, {
        incidentId,
        kind: 'STATUS_UPDATE_POSTED',
        at: now,
        message: `${audience.toLowerCase()} status update: ${text}`,
        data: { statusUpdateId: update.id, audience },
      });
      await this.communication?.communicated(manager, incident, { type: 'STATUS_UPDATE', audience }, { statusUpdateId: update.id });
      await this.posted?.(manager, incident, update);
      return update;
    });
  }

  async list(incidentId: string, audience?: Audience | null): Promise<StatusUpdate[]> {
    return this.db.getRepository(StatusUpdate).find({
      where: { incidentId, ...(audience ? { audience } : {}) },
      order: { postedAt: 'DESC' },
      take: 200,
    });
  }
}
