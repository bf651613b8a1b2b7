import type { NoticeRequest } from './notification-planner';
import type { OnCallNow } from './rota';

export interface HandoffFacts {
  scheduleId: string;
  scheduleName: string;
  /** The instant the handoff took effect. */
  at: Date;
  previous: OnCallNow;
  next: OnCallNow;
  /** When the decision is written. */
  now: Date;
}

/**
 * What a handoff tells people (GoAlert's on-call notifications are the model): the person whose shift ends, and the
 * person whose shift starts. Backups have no shifts and are not told. One key per schedule, instant, person and
 * kind, so the notice is decided once however often the handoff is looked at.
 */
export function handoffNotices({ scheduleId, scheduleName, at, previous, next, now }: HandoffFacts): NoticeRequest[] {
  const [leaving] = previous.primary;
  const [taking] = next.primary;
  const when = at.toISOString();
  const notices: NoticeRequest[] = [];
  const notice = (personId: string, kind: 'start' | 'end', subject: string, body: string): NoticeRequest => ({
    personId,
    key: `handoff:${scheduleId}:${when}:${personId}:${kind}`,
    subject,
    body,
    data: { scheduleId, at: when, kind },
    reason: `on-call shift ${kind === 'start' ? 'started' : 'ended'}`,
    now,
  });
  if (leaving && leaving !== taking) {
    notices.push(notice(leaving, 'end', `Your on-call shift on ${scheduleName} ended`, `You are no longer on call for ${scheduleName} since ${when}.`));
  }
  if (taking && taking !== leaving) {
    notices.push(notice(taking, 'start', `You are on call for ${scheduleName}`, `Your on-call shift on ${scheduleName} started at ${when}.`));
  }
  return notices;
}
