export type {
  DailyWindow,
  OnCallNow,
  ResolvedShift,
  ResolvedTimeline,
  Rotation,
  RotationUnit,
  Schedule,
  ScheduleLayer,
  ScheduleOverride,
  ScheduleValidationIssue,
  TimelineGap,
} from './schedule.types';
export { estimatedPieces } from './handoff-estimate';
export { MAX_RESOLVE_WINDOW_DAYS, resolveShifts } from './resolve-shifts';
export { nextHandoff, sameOnCall, type Handoff } from './next-handoff';
export { whoIsOnCall } from './who-is-on-call';
export { ScheduleValidationError, validateSchedule } from './validate-schedule';
