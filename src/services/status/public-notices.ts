import type { MaintenanceWindow } from '../../schema/maintenance-window.entity';

const DESCRIPTION_MAX = 2_000;

/** `2026-12-02 22:00 UTC`: subscribers of several pages read one text, so it is in UTC, not a page's zone. */
export function utcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function span(window: MaintenanceWindow): string {
  return `from ${utcMinute(window.startsAt)} to ${utcMinute(window.endsAt)}`;
}

/**
 * A notice in words for customers: what is affected and when, from the window's public fields (title, description,
 * dates, the public services it affects), never the team's concerns (alert suppression, overruns, cancel reasons).
 * Null for a kind subscribers are not told: the team's hourly and overrun notices.
 */
export function publicNotice(window: MaintenanceWindow, kind: string, services: string[]): { subject: string; body: string } | null {
  const affected = `Affected: ${services.join(', ')}.`;
  const description = window.description ? `\n\n${window.description.slice(0, DESCRIPTION_MAX)}` : '';
  switch (kind) {
    case 'ANNOUNCED':
      return { subject: `Scheduled maintenance: ${window.title}`, body: `Maintenance is scheduled ${span(window)}. ${affected}${description}` };
    case 'REMINDER':
      return { subject: `Upcoming maintenance: ${window.title}`, body: `As announced, maintenance takes place ${span(window)}. ${affected}` };
    case 'RESCHEDULED':
      return { subject: `Maintenance rescheduled: ${window.title}`, body: `The maintenance now takes place ${span(window)}. ${affected}` };
    case 'STARTED':
      return { subject: `Maintenance in progress: ${window.title}`, body: `The scheduled maintenance is in progress; it is planned to end at ${utcMinute(window.endsAt)}. ${affected}` };
    case 'EXTENDED':
      return { subject: `Maintenance extended: ${window.title}`, body: `The maintenance takes longer than planned; it is now planned to end at ${utcMinute(window.endsAt)}. ${affected}` };
    case 'COMPLETED':
      return { subject: `Maintenance completed: ${window.title}`, body: `The scheduled maintenance has been completed. ${affected}` };
    case 'CANCELLED':
      return { subject: `Maintenance cancelled: ${window.title}`, body: `The maintenance scheduled ${span(window)} has been cancelled. ${affected}` };
    default:
      return null;
  }
}
