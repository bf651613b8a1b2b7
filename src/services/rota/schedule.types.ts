/**
 * Input and output types of the pure on-call schedule resolver.
 * Definitions hold only strings, numbers, arrays and Dates, so they serialise to JSON
 * (Dates become ISO strings; revive them with `new Date(iso)` when loading).
 */

export type RotationUnit = 'hours' | 'days' | 'weeks';

/** A shift lasts `length` units of local wall-clock time (see layer-shifts.ts). */
export interface Rotation {
  unit: RotationUnit;
  /** Positive integer. */
  length: number;
}

/**
 * A daily window of local time, 'HH:mm'–'HH:mm'. A window whose end <= start crosses
 * midnight (18:00–02:00 runs into the next day; 00:00–00:00 is the whole day).
 */
export interface DailyWindow {
  start: string;
  end: string;
}

export interface ScheduleLayer {
  id: string;
  name: string;
  /** Integer; a higher layer covers lower ones wherever it has somebody on call. */
  priority: number;
  /** Person ids in rotation order; must be non-empty. */
  participants: string[];
  rotation: Rotation;
  /**
   * Local date-time in the schedule's zone, without offset ('2026-03-01T09:00'):
   * the handoff instant at which participants[0]'s first shift begins. The layer covers
   * nobody before it.
   */
  start: string;
  /** When present (and non-empty), the layer covers nobody outside these daily windows. */
  restrictions?: DailyWindow[];
}

/** The person is on call for [start, end) instead of whatever the layers say. */
export interface ScheduleOverride {
  id: string;
  personId: string;
  start: Date;
  end: Date;
  /** Where overrides overlap, the most recently created one wins. */
  createdAt: Date;
}

export interface Schedule {
  /** IANA time zone name, e.g. 'Europe/Lisbon' or 'UTC'. */
  timeZone: string;
  layers: ScheduleLayer[];
  overrides: ScheduleOverride[];
  /** People to page after the primary, in order. */
  backups?: string[];
}

export interface ResolvedShift {
  personId: string;
  start: Date;
  end: Date;
  /** The layer the shift comes from, or null when it comes from an override. */
  layerId: string | null;
  /** The override the shift comes from, or null when it comes from a layer. */
  overrideId: string | null;
}

export interface TimelineGap {
  start: Date;
  end: Date;
}

export interface ResolvedTimeline {
  shifts: ResolvedShift[];
  gaps: TimelineGap[];
}

export interface OnCallNow {
  primary: string[];
  backups: string[];
}

export interface ScheduleValidationIssue {
  field: string;
  message: string;
}
