import type { DataSource } from 'typeorm';
import { MitigationStatus } from '../schema/enums';
import { MitigationStep } from '../schema/mitigation-step.entity';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { badInput, conflict, notFound } from '../shared/domain-error';
import type { IncidentService } from './incident.service';
import type { CreateTaskFields, TaskService } from './task.service';
import { appendTimeline } from './timeline.service';
import { requireText, requireUuid } from './validation';

export type LongTermFixInput = Omit<CreateTaskFields, 'incidentId'>;

export interface AddMitigationStepInput {
  incidentId: string;
  description: string;
  temporary?: boolean | null;
  longTermFix?: LongTermFixInput | null;
}

/** Steps are announced (PLANNED), then run and judged; finished steps do not move again. */
const STEP_TRANSITIONS: Record<MitigationStatus, MitigationStatus[]> = {
  PLANNED: [MitigationStatus.IN_PROGRESS, MitigationStatus.EFFECTIVE, MitigationStatus.NOT_EFFECTIVE],
  IN_PROGRESS: [MitigationStatus.EFFECTIVE, MitigationStatus.NOT_EFFECTIVE],
  EFFECTIVE: [],
  NOT_EFFECTIVE: [],
};

export class MitigationService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly incidents: IncidentService,
    private readonly tasks: TaskService,
  ) {}

  async add(actor: Actor, input: AddMitigationStepInput): Promise<MitigationStep> {
    requireUuid('incidentId', input.incidentId);
    const description = requireText('description', input.description, 2000);
    const temporary = input.temporary ?? false;
    if (temporary && !input.longTermFix) throw badInput('longTermFix', 'a temporary mitigation requires a long-term fix task');
    return this.db.transaction(async (manager) => {
      await this.incidents.lock(manager, input.incidentId);
      const now = this.clock.now();
      // The long-term fix is a task like any other: the task service validates and records it.
      const taskId = input.longTermFix ? (await this.tasks.createIn(manager, actor, { ...input.longTermFix, incidentId: input.incidentId }, 'longTermFix.')).id : null;
      const step = manager.create(MitigationStep, {
        incidentId: input.incidentId,
        description,
        status: MitigationStatus.PLANNED,
        temporary,
        longTermFixTaskId: taskId,
        announcedAt: now,
        startedAt: null,
        completedAt: null,
        updatedAt: now,
      });
      await manager.insert(MitigationStep, step);
      await appendTimeline(manager, actor, {
        incidentId: input.incidentId,
        kind: 'MITIGATION_PLANNED',
        at: now,
        message: `mitigation announced: ${description}${temporary ? ' (temporary)' : ''}`,
        data: { mitigationStepId: step.id, longTermFixTaskId: taskId },
      });
      return step;
    });
  }

  async updateStatus(actor: Actor, stepId: string, status: MitigationStatus): Promise<MitigationStep> {
    requireUuid('id', stepId);
    return this.db.transaction(async (manager) => {
      const step = await manager.getRepository(MitigationStep).createQueryBuilder('m').setLock('pessimistic_write').where('m.id = :stepId', { stepId }).getOne();
      if (!step) throw notFound('mitigation step', stepId);
      if (!STEP_TRANSITIONS[step.status].includes(status)) throw conflict(`mitigation step is ${step.status}; it cannot become ${status}`);
      const now = this.clock.now();
      const previous = step.status;
      step.status = status;
      step.updatedAt = now;
      if (status === MitigationStatus.IN_PROGRESS) step.startedAt = now;
      else step.completedAt = now;
      await manager.save(MitigationStep, step);
      await appendTimeline(manager, actor, {
        incidentId: step.incidentId,
        kind: 'MITIGATION_UPDATED',
        at: now,
        message: `mitigation "${step.description}" is ${status.toLowerCase().replace('_', ' ')}`,
        data: { mitigationStepId: step.id, from: previous, to: status },
      });
      return step;
    });
  }

  async listForIncidents(incidentIds: readonly string[]): Promise<MitigationStep[]> {
    return this.db
      .getRepository(MitigationStep)
      .createQueryBuilder('m')
      .where('m.incident_id = ANY(:ids)', { ids: incidentIds })
      .orderBy('m.announced_at', 'ASC')
      .getMany();
  }
}
