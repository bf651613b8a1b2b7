import type { DataSource, EntityManager } from 'typeorm';
import type { CommunicationPolicy } from '../schema/communication.entity';
import { AuditTargetType, Priority } from '../schema/enums';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { badInput, notFound } from '../shared/domain-error';
import { diffFields } from './audit-changes';
import type { AuditService } from './audit.service';
import type { CadenceInterval, CadencePolicy } from './communication-planner';

export type CommunicationPolicyChanges = { priority: Priority } & { [Interval in CadenceInterval]?: number | null };

/** The longest interval a policy may set: a week. */
export const MAX_INTERVAL_MINUTES = 10_080;

const INTERVALS: readonly CadenceInterval[] = [
  'firstPublicNoticeMinutes',
  'publicUpdateMinutes',
  'internalUpdateMinutes',
  'statusPageUpdateMinutes',
  'callMinutes',
  'maintenanceUpdateMinutes',
  'escalationGraceMinutes',
];

const COLUMNS = `id, priority, first_public_notice_minutes AS "firstPublicNoticeMinutes", public_update_minutes AS "publicUpdateMinutes",
  internal_update_minutes AS "internalUpdateMinutes", status_page_update_minutes AS "statusPageUpdateMinutes",
  call_minutes AS "callMinutes", maintenance_update_minutes AS "maintenanceUpdateMinutes", escalation_grace_minutes AS "escalationGraceMinutes", updated_at AS "updatedAt"`;

/** The communication policy of each priority: read where obligations are planned, edited by admins (audited). */
export class CommunicationPolicyService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditService,
  ) {}

  /** P1 to P4. */
  async list(): Promise<CommunicationPolicy[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM communication_policy ORDER BY priority`);
  }

  /** The policy obligations of this priority are planned with, inside the caller's transaction. */
  static async of(manager: EntityManager, priority: Priority): Promise<CadencePolicy> {
    const [policy] = await manager.query(`SELECT ${COLUMNS} FROM communication_policy WHERE priority = $1`, [priority]);
    if (!policy) throw new Error(`no communication policy for ${priority}: the CommunicationCadence migration seeds one per priority`);
    return policy;
  }

  /**
   * Changes the intervals given (null turns one off; escalationGraceMinutes cannot be null). Obligations already
   * planned keep their times; the next ones are planned with the new policy. BAD_USER_INPUT names the field at fault.
   */
  async update(changes: CommunicationPolicyChanges, audit: AuditContext = SYSTEM_AUDIT): Promise<CommunicationPolicy> {
    const values = validIntervals(changes);
    return this.db.transaction(async (manager) => {
      const [before]: CommunicationPolicy[] = await manager.query(`SELECT ${COLUMNS} FROM communication_policy WHERE priority = $1 FOR UPDATE`, [changes.priority]);
      if (!before) throw notFound('communication policy', changes.priority);
      const after = { ...before, ...values };
      const changed = diffFields(before, after, INTERVALS);
      if (!Object.keys(changed).length) return before;
      const [[policy]]: CommunicationPolicy[][] = await manager.query(
        `UPDATE communication_policy SET first_public_notice_minutes = $2, public_update_minutes = $3, internal_update_minutes = $4,
                status_page_update_minutes = $5, call_minutes = $6, escalation_grace_minutes = $7, updated_at = $8,
                maintenance_update_minutes = $9
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [before.id, after.firstPublicNoticeMinutes, after.publicUpdateMinutes, after.internalUpdateMinutes, after.statusPageUpdateMinutes, after.callMinutes, after.escalationGraceMinutes, this.clock.now(), after.maintenanceUpdateMinutes],
      );
      await this.auditLog.record(manager, audit, { action: 'communicationPolicy.update', targetType: AuditTargetType.COMMUNICATION_POLICY, targetId: policy.id, changes: changed });
      return policy;
    });
  }
}

function validIntervals(changes: CommunicationPolicyChanges): Partial<Record<CadenceInterval, number | null>> {
  const values: Partial<Record<CadenceInterval, number | null>> = {};
  for (const field of INTERVALS) {
    const value = changes[field];
    if (value === undefined) continue;
    if (value === null && field === 'escalationGraceMinutes') throw badInput(field, 'cannot be null: an unmet obligation must escalate some time');
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > MAX_INTERVAL_MINUTES)) {
      throw badInput(field, `must be a whole number of minutes from 1 to ${MAX_INTERVAL_MINUTES}`);
    }
    values[field] = value;
  }
  return values;
}
