import { MaintenanceKind } from '../../schema/enums';
import { businessDaysBetween, type BusinessCalendar } from '../../shared/business-days';

/** The reference process: planned maintenance is announced at least this many business days ahead. */
export const PLANNED_NOTICE_BUSINESS_DAYS = 10;

export interface DerivedKind {
  kind: MaintenanceKind;
  /** Business days of notice, counted up to PLANNED_NOTICE_BUSINESS_DAYS (more counts as that). */
  noticeBusinessDays: number;
}

/** A window's kind follows from its dates, never from a choice: PLANNED with 10 business days' notice, else EMERGENCY. */
export function deriveMaintenanceKind(calendar: BusinessCalendar, announcedAt: Date, startsAt: Date): DerivedKind {
  const noticeBusinessDays = businessDaysBetween(calendar, announcedAt, startsAt, PLANNED_NOTICE_BUSINESS_DAYS);
  return { kind: noticeBusinessDays >= PLANNED_NOTICE_BUSINESS_DAYS ? MaintenanceKind.PLANNED : MaintenanceKind.EMERGENCY, noticeBusinessDays };
}
