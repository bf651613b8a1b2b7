import type { DataSource, EntityManager } from 'typeorm';
import { AuditTargetType } from '../../schema/enums';
import { SYSTEM_AUDIT, type AuditContext } from '../../shared/audit-context';
import type { Clock } from '../../shared/clock';
import { badInput } from '../../shared/domain-error';
import { diffFields } from '../audit-changes';
import type { AuditService } from '../audit.service';
import { requirePerson } from '../person-exists';

/** The settings are one row; their audit entries name this fixed id. */
export const REVIEW_SETTINGS_ID = '00000000-0000-4000-8000-000000000002';
export const MAX_DUE_BUSINESS_DAYS = 60;
const SETTINGS_FIELDS = ['dueBusinessDays', 'reviewerId'] as const;

export interface ReviewSettings {
  /** Business days after the resolution day by whose end the RCA (or the approved IRF) is due. */
  dueBusinessDays: number;
  /** Who an overdue follow-up escalates to; null: the next step of the service's escalation policy. */
  reviewerId: string | null;
}

export interface ReviewSettingsInput {
  dueBusinessDays?: number | null;
  reviewerId?: string | null;
}

/**
 * The review process's settings: the ones an ADMIN set through the API, else the configured ones. A follow-up keeps the
 * due date it was given when its IRF opened, so changing the days moves no existing due date.
 */
export class ReviewSettingsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly configured: ReviewSettings,
    private readonly auditLog: AuditService,
  ) {}

  current(manager: DataSource | EntityManager = this.db): Promise<ReviewSettings> {
    return this.read(manager, false);
  }

  /** Changes the fields given (ADMIN; reviewerId null clears the reviewer), recorded in the audit log. */
  async update(input: ReviewSettingsInput, audit: AuditContext = SYSTEM_AUDIT): Promise<ReviewSettings> {
    return this.db.transaction(async (manager) => {
      const before = await this.read(manager, true);
      const after: ReviewSettings = {
        dueBusinessDays: input.dueBusinessDays === undefined || input.dueBusinessDays === null ? before.dueBusinessDays : validDays(input.dueBusinessDays),
        reviewerId: input.reviewerId === undefined ? before.reviewerId : input.reviewerId,
      };
      if (after.reviewerId && after.reviewerId !== before.reviewerId) await requirePerson(manager, 'reviewerId', after.reviewerId);
      await manager.query(
        `INSERT INTO review_settings (id, due_business_days, reviewer_id, updated_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET due_business_days = EXCLUDED.due_business_days, reviewer_id = EXCLUDED.reviewer_id, updated_at = EXCLUDED.updated_at`,
        [after.dueBusinessDays, after.reviewerId, this.clock.now()],
      );
      await this.auditLog.record(manager, audit, {
        action: 'reviewSettings.update',
        targetType: AuditTargetType.REVIEW_SETTINGS,
        targetId: REVIEW_SETTINGS_ID,
        changes: diffFields(before, after, SETTINGS_FIELDS),
      });
      return after;
    });
  }

  private async read(manager: DataSource | EntityManager, lock: boolean): Promise<ReviewSettings> {
    const [row] = await manager.query(`SELECT due_business_days, reviewer_id FROM review_settings WHERE id = 1${lock ? ' FOR UPDATE' : ''}`);
    return row ? { dueBusinessDays: row.due_business_days, reviewerId: row.reviewer_id } : { ...this.configured };
  }
}

function validDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DUE_BUSINESS_DAYS) throw badInput('dueBusinessDays', `must be a whole number of business days from 1 to ${MAX_DUE_BUSINESS_DAYS}`);
  return days;
}
