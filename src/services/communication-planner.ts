import { Audience, CommunicationKind, Priority } from '../shared/enums';

/** The cadence of one priority, in minutes; a null interval asks for no obligation of that kind. */
export interface CadencePolicy {
  priority: Priority;
  firstPublicNoticeMinutes: number | null;
  publicUpdateMinutes: number | null;
  internalUpdateMinutes: number | null;
  statusPageUpdateMinutes: number | null;
  callMinutes: number | null;
  /** Between status updates of a maintenance window in progress (of this incidentPriority), counted from its start. */
  maintenanceUpdateMinutes: number | null;
  /** How long an obligation may stay unmet after its reminder before it escalates. */
  escalationGraceMinutes: number;
}

export type CadenceInterval = Exclude<keyof CadencePolicy, 'priority'>;

/**
 * The reference process (../shared/DOMAIN.md) for P1 and P2 — first public notice within 15 minutes, team and client
 * updates every 30, the status page and a call every hour — and looser cadences for P3 and P4; a maintenance window
 * in progress is updated every hour whatever its priority. The migrations CommunicationCadence and MaintenanceCadence
 * seed the same values; `npm run seed:demo` puts them back.
 */
export const REFERENCE_CADENCE: readonly CadencePolicy[] = [
  { priority: Priority.P1, firstPublicNoticeMinutes: 15, publicUpdateMinutes: 30, internalUpdateMinutes: 30, statusPageUpdateMinutes: 60, callMinutes: 60, maintenanceUpdateMinutes: 60, escalationGraceMinutes: 10 },
  { priority: Priority.P2, firstPublicNoticeMinutes: 15, publicUpdateMinutes: 30, internalUpdateMinutes: 30, statusPageUpdateMinutes: 60, callMinutes: 60, maintenanceUpdateMinutes: 60, escalationGraceMinutes: 10 },
  { priority: Priority.P3, firstPublicNoticeMinutes: 60, publicUpdateMinutes: 120, internalUpdateMinutes: 120, statusPageUpdateMinutes: 120, callMinutes: null, maintenanceUpdateMinutes: 60, escalationGraceMinutes: 30 },
  { priority: Priority.P4, firstPublicNoticeMinutes: null, publicUpdateMinutes: null, internalUpdateMinutes: 240, statusPageUpdateMinutes: null, callMinutes: null, maintenanceUpdateMinutes: 60, escalationGraceMinutes: 60 },
];

/** A repeating communication: each obligation of a cadence follows the one before it. */
export type Cadence = 'PUBLIC' | 'INTERNAL' | 'STATUS_PAGE' | 'CALL' | 'MAINTENANCE';

/** The cadences of an incident; a maintenance window in progress has the MAINTENANCE one only. */
export const CADENCES: readonly Cadence[] = ['PUBLIC', 'INTERNAL', 'STATUS_PAGE', 'CALL'];

export const CADENCE_OF: Record<CommunicationKind, Cadence> = {
  FIRST_PUBLIC_NOTICE: 'PUBLIC',
  PUBLIC_UPDATE: 'PUBLIC',
  INTERNAL_UPDATE: 'INTERNAL',
  STATUS_PAGE_UPDATE: 'STATUS_PAGE',
  INCIDENT_CALL: 'CALL',
  MAINTENANCE_UPDATE: 'MAINTENANCE',
};

/** What was communicated. */
export type Communication = { type: 'STATUS_UPDATE'; audience: Audience } | { type: 'CALL' } | { type: 'MAINTENANCE_UPDATE' };

/** The cadences a communication meets: a PUBLIC update is both the client's update and the status page's. */
export function cadencesMetBy(communication: Communication): Cadence[] {
  if (communication.type === 'CALL') return ['CALL'];
  if (communication.type === 'MAINTENANCE_UPDATE') return ['MAINTENANCE'];
  return communication.audience === Audience.PUBLIC ? ['PUBLIC', 'STATUS_PAGE'] : ['INTERNAL'];
}

export interface PlannedObligation {
  kind: CommunicationKind;
  dueAt: Date;
  /** When it escalates if still unmet: the due time plus the policy's grace. */
  escalateAt: Date;
}

const MINUTE = 60_000;

/** The kind and interval of a cadence's next obligation; `metBefore` says whether it was ever met. */
function nextStep(policy: CadencePolicy, cadence: Cadence, metBefore: boolean): { kind: CommunicationKind; minutes: number | null } {
  switch (cadence) {
    case 'PUBLIC':
      return metBefore
        ? { kind: CommunicationKind.PUBLIC_UPDATE, minutes: policy.publicUpdateMinutes }
        : { kind: CommunicationKind.FIRST_PUBLIC_NOTICE, minutes: policy.firstPublicNoticeMinutes ?? policy.publicUpdateMinutes };
    case 'INTERNAL':
      return { kind: CommunicationKind.INTERNAL_UPDATE, minutes: policy.internalUpdateMinutes };
    case 'STATUS_PAGE':
      return { kind: CommunicationKind.STATUS_PAGE_UPDATE, minutes: policy.statusPageUpdateMinutes };
    case 'CALL':
      return { kind: CommunicationKind.INCIDENT_CALL, minutes: policy.callMinutes };
    case 'MAINTENANCE':
      return { kind: CommunicationKind.MAINTENANCE_UPDATE, minutes: policy.maintenanceUpdateMinutes };
  }
}

/**
 * The obligation a cadence has after `anchor` (when the incident opened, or when the cadence was last met), never due
 * before `notBefore`; null when the policy asks for none.
 */
export function nextObligation(policy: CadencePolicy, cadence: Cadence, anchor: Date, metBefore: boolean, notBefore: Date = anchor): PlannedObligation | null {
  const { kind, minutes } = nextStep(policy, cadence, metBefore);
  if (minutes === null) return null;
  const dueAt = new Date(Math.max(anchor.getTime() + minutes * MINUTE, notBefore.getTime()));
  return { kind, dueAt, escalateAt: new Date(dueAt.getTime() + policy.escalationGraceMinutes * MINUTE) };
}

/** What a maintenance window owes when it starts: its first update, an hour (by default) after. */
export function maintenanceObligation(policy: CadencePolicy, startedAt: Date): PlannedObligation | null {
  return nextObligation(policy, 'MAINTENANCE', startedAt, false);
}

/** What an incident owes when it opens. */
export function openingObligations(policy: CadencePolicy, openedAt: Date): PlannedObligation[] {
  return CADENCES.map((cadence) => nextObligation(policy, cadence, openedAt, false)).filter((planned): planned is PlannedObligation => planned !== null);
}

/** Where one cadence of a subject stands. */
export interface CadenceState {
  cadence: Cadence;
  /** Its open obligation, if any. */
  open: { id: string; kind: CommunicationKind; dueAt: Date } | null;
  /** When it was last met, else when the subject opened. */
  anchor: Date;
  metBefore: boolean;
}

export interface Replan {
  /** Open obligations that no longer stand (their ids). */
  end: string[];
  create: PlannedObligation[];
}

/**
 * After a priority change: each cadence's next obligation under the new policy, counted from the same anchor (so
 * P3 → P1 forty minutes in makes the first public notice due at once, since P1 wanted it after 15), never before
 * `now`. An open obligation that the new policy would plan the same stays as it is (reminded or not); any other is ended (and its
 * replacement, if the new policy asks for one, created), so reminders start over for what changed.
 */
export function replan(policy: CadencePolicy, states: readonly CadenceState[], now: Date): Replan {
  const result: Replan = { end: [], create: [] };
  for (const state of states) {
    // Compared before it is held back to now: an overdue obligation the new policy wants at the same time stays overdue.
    const wanted = nextObligation(policy, state.cadence, state.anchor, state.metBefore);
    if (state.open && wanted && wanted.kind === state.open.kind && wanted.dueAt.getTime() === state.open.dueAt.getTime()) continue;
    const planned = wanted && nextObligation(policy, state.cadence, state.anchor, state.metBefore, now);
    if (state.open) result.end.push(state.open.id);
    if (planned) result.create.push(planned);
  }
  return result;
}
