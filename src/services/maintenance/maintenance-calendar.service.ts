import type { DataSource, EntityManager } from 'typeorm';
import { AuditTargetType } from '../../schema/enums';
import { SYSTEM_AUDIT, type AuditContext } from '../../shared/audit-context';
import { calendarDateProblem, holidayRegionProblem, isValidZone, type BusinessCalendar } from '../../shared/business-days';
import type { Clock } from '../../shared/clock';
import { badInput } from '../../shared/domain-error';
import { diffFields } from '../audit-changes';
import type { AuditService } from '../audit.service';

/** The calendar is one row; its audit entries name this fixed id. */
export const MAINTENANCE_CALENDAR_ID = '00000000-0000-4000-8000-000000000001';
const MAX_EXTRA_DATES = 500;
const CALENDAR_FIELDS = ['region', 'extraDates', 'zone'] as const;

export interface MaintenanceCalendarInput {
  region?: string | null;
  extraDates?: string[] | null;
  zone?: string | null;
}

/**
 * The business-day calendar new maintenance windows are classified with: the one an ADMIN set through the API, else
 * the configured one. Windows keep the calendar they were classified with, so changing it reclassifies nothing.
 */
export class MaintenanceCalendarService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly configured: BusinessCalendar,
    private readonly auditLog: AuditService,
  ) {}

  current(manager: DataSource | EntityManager = this.db): Promise<BusinessCalendar> {
    return this.read(manager, false);
  }

  /** Changes the fields given (ADMIN), recorded in the audit log. */
  async update(input: MaintenanceCalendarInput, audit: AuditContext = SYSTEM_AUDIT): Promise<BusinessCalendar> {
    return this.db.transaction(async (manager) => {
      const before = await this.read(manager, true);
      const after: BusinessCalendar = {
        region: input.region === undefined ? before.region : validRegion(input.region),
        extraDates: input.extraDates === undefined || input.extraDates === null ? before.extraDates : validDates(input.extraDates),
        zone: input.zone === undefined || input.zone === null ? before.zone : validZone(input.zone),
      };
      await manager.query(
        `INSERT INTO maintenance_calendar (id, region, extra_dates, zone, updated_at) VALUES (1, $1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET region = EXCLUDED.region, extra_dates = EXCLUDED.extra_dates, zone = EXCLUDED.zone, updated_at = EXCLUDED.updated_at`,
        [after.region, after.extraDates, after.zone, this.clock.now()],
      );
      await this.auditLog.record(manager, audit, {
        action: 'maintenanceCalendar.update',
        targetType: AuditTargetType.MAINTENANCE_CALENDAR,
        targetId: MAINTENANCE_CALENDAR_ID,
        changes: diffFields(before, after, CALENDAR_FIELDS),
      });
      return after;
    });
  }

  private async read(manager: DataSource | EntityManager, lock: boolean): Promise<BusinessCalendar> {
    const [row] = await manager.query(`SELECT region, extra_dates, zone FROM maintenance_calendar WHERE id = 1${lock ? ' FOR UPDATE' : ''}`);
    return row ? { region: row.region, extraDates: row.extra_dates, zone: row.zone } : { ...this.configured, extraDates: [...this.configured.extraDates] };
  }
}

function validRegion(region: string | null): string | null {
  const trimmed = region?.trim();
  if (!trimmed) return null;
  const problem = holidayRegionProblem(trimmed);
  if (problem) throw badInput('region', problem);
  return trimmed;
}

function validDates(dates: string[]): string[] {
  if (dates.length > MAX_EXTRA_DATES) throw badInput('extraDates', `at most ${MAX_EXTRA_DATES} dates`);
  dates.forEach((date, index) => {
    const problem = calendarDateProblem(date);
    if (problem) throw badInput(`extraDates[${index}]`, problem);
  });
  return [...new Set(dates)].sort();
}

function validZone(zone: string): string {
  if (!isValidZone(zone)) throw badInput('zone', `unknown time zone "${zone}"`);
  return zone;
}
