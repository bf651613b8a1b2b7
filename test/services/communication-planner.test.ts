import { Audience, CommunicationKind, Priority } from '../../src/shared/enums';
import {
  cadencesMetBy,
  nextObligation,
  openingObligations,
  REFERENCE_CADENCE,
  replan,
  type CadencePolicy,
  type CadenceState,
} from '../../src/services/communication-planner';

const OPENED = new Date('2026-11-23T03:00:00Z');
const at = (minutes: number) => new Date(OPENED.getTime() + minutes * 60_000);
const policy = (priority: Priority): CadencePolicy => REFERENCE_CADENCE.find((candidate) => candidate.priority === priority)!;
const summary = (planned: Array<{ kind: CommunicationKind; dueAt: Date; escalateAt: Date }>) =>
  planned.map(({ kind, dueAt, escalateAt }) => [kind, (dueAt.getTime() - OPENED.getTime()) / 60_000, (escalateAt.getTime() - OPENED.getTime()) / 60_000]);

describe('communication planner', () => {
  it.each([
    [
      Priority.P1,
      [
        ['FIRST_PUBLIC_NOTICE', 15, 25],
        ['INTERNAL_UPDATE', 30, 40],
        ['STATUS_PAGE_UPDATE', 60, 70],
        ['INCIDENT_CALL', 60, 70],
      ],
    ],
    [
      Priority.P2,
      [
        ['FIRST_PUBLIC_NOTICE', 15, 25],
        ['INTERNAL_UPDATE', 30, 40],
        ['STATUS_PAGE_UPDATE', 60, 70],
        ['INCIDENT_CALL', 60, 70],
      ],
    ],
    [
      Priority.P3,
      [
        ['FIRST_PUBLIC_NOTICE', 60, 90],
        ['INTERNAL_UPDATE', 120, 150],
        ['STATUS_PAGE_UPDATE', 120, 150],
      ],
    ],
    [Priority.P4, [['INTERNAL_UPDATE', 240, 300]]],
  ])('a %s incident opens owing the reference cadence: kind, minutes to due, minutes to escalation', (priority, expected) => {
    expect(summary(openingObligations(policy(priority), OPENED))).toEqual(expected);
  });

  it.each([
    ['a PUBLIC update', { type: 'STATUS_UPDATE', audience: Audience.PUBLIC } as const, ['PUBLIC', 'STATUS_PAGE']],
    ['an INTERNAL update', { type: 'STATUS_UPDATE', audience: Audience.INTERNAL } as const, ['INTERNAL']],
    ['a call', { type: 'CALL' } as const, ['CALL']],
  ])('%s meets its own cadences only', (_name, communication, cadences) => {
    expect(cadencesMetBy(communication)).toEqual(cadences);
  });

  it.each([
    ['the first public notice, before any', 'PUBLIC', false, ['FIRST_PUBLIC_NOTICE', 35, 45]],
    ['the next public update, once one was posted', 'PUBLIC', true, ['PUBLIC_UPDATE', 50, 60]],
    ['the next internal update', 'INTERNAL', true, ['INTERNAL_UPDATE', 50, 60]],
    ['the next status page update', 'STATUS_PAGE', true, ['STATUS_PAGE_UPDATE', 80, 90]],
    ['the next call', 'CALL', true, ['INCIDENT_CALL', 80, 90]],
  ] as const)('plans %s from the anchor', (_name, cadence, metBefore, expected) => {
    expect(summary([nextObligation(policy(Priority.P1), cadence, at(20), metBefore)!])).toEqual([expected]);
  });

  it('falls back to the update interval for the first public notice, and plans nothing for an interval turned off', () => {
    const noFirstNotice: CadencePolicy = { ...policy(Priority.P1), firstPublicNoticeMinutes: null, callMinutes: null };
    expect(summary([nextObligation(noFirstNotice, 'PUBLIC', OPENED, false)!])).toEqual([['FIRST_PUBLIC_NOTICE', 30, 40]]);
    expect(nextObligation(noFirstNotice, 'CALL', OPENED, false)).toBeNull();
    expect(nextObligation(policy(Priority.P4), 'PUBLIC', OPENED, false)).toBeNull();
  });

  it('never plans an obligation due before notBefore', () => {
    expect(summary([nextObligation(policy(Priority.P1), 'PUBLIC', OPENED, false, at(40))!])).toEqual([['FIRST_PUBLIC_NOTICE', 40, 50]]);
  });

  describe('after a priority change', () => {
    const states = (open: Partial<Record<CadenceState['cadence'], { kind: CommunicationKind; dueMinutes: number }>>, lastMet: Partial<Record<CadenceState['cadence'], number>> = {}): CadenceState[] =>
      (['PUBLIC', 'INTERNAL', 'STATUS_PAGE', 'CALL'] as const).map((cadence) => ({
        cadence,
        open: open[cadence] ? { id: `${cadence}-open`, kind: open[cadence]!.kind, dueAt: at(open[cadence]!.dueMinutes) } : null,
        anchor: lastMet[cadence] !== undefined ? at(lastMet[cadence]!) : OPENED,
        metBefore: lastMet[cadence] !== undefined,
      }));

    it('P3 → P1 forty minutes in: the first public notice is due at once, the call is added, the rest move earlier', () => {
      const p3 = states({
        PUBLIC: { kind: CommunicationKind.FIRST_PUBLIC_NOTICE, dueMinutes: 60 },
        INTERNAL: { kind: CommunicationKind.INTERNAL_UPDATE, dueMinutes: 120 },
        STATUS_PAGE: { kind: CommunicationKind.STATUS_PAGE_UPDATE, dueMinutes: 120 },
      });
      const { end, create } = replan(policy(Priority.P1), p3, at(40));
      expect(end).toEqual(['PUBLIC-open', 'INTERNAL-open', 'STATUS_PAGE-open']);
      expect(summary(create)).toEqual([
        ['FIRST_PUBLIC_NOTICE', 40, 50],
        ['INTERNAL_UPDATE', 40, 50],
        ['STATUS_PAGE_UPDATE', 60, 70],
        ['INCIDENT_CALL', 60, 70],
      ]);
    });

    it('P1 → P2 (the same cadence) keeps every open obligation as it is, an overdue one included', () => {
      const p1 = states({
        PUBLIC: { kind: CommunicationKind.FIRST_PUBLIC_NOTICE, dueMinutes: 15 },
        INTERNAL: { kind: CommunicationKind.INTERNAL_UPDATE, dueMinutes: 30 },
        STATUS_PAGE: { kind: CommunicationKind.STATUS_PAGE_UPDATE, dueMinutes: 60 },
        CALL: { kind: CommunicationKind.INCIDENT_CALL, dueMinutes: 60 },
      });
      expect(replan(policy(Priority.P2), p1, at(20))).toEqual({ end: [], create: [] });
    });

    it('P1 → P4 counts from the last update: ends what P4 does not ask for', () => {
      const p1 = states(
        {
          PUBLIC: { kind: CommunicationKind.PUBLIC_UPDATE, dueMinutes: 50 },
          INTERNAL: { kind: CommunicationKind.INTERNAL_UPDATE, dueMinutes: 45 },
          STATUS_PAGE: { kind: CommunicationKind.STATUS_PAGE_UPDATE, dueMinutes: 80 },
          CALL: { kind: CommunicationKind.INCIDENT_CALL, dueMinutes: 60 },
        },
        { PUBLIC: 20, INTERNAL: 15, STATUS_PAGE: 20 },
      );
      const { end, create } = replan(policy(Priority.P4), p1, at(25));
      expect(end).toEqual(['PUBLIC-open', 'INTERNAL-open', 'STATUS_PAGE-open', 'CALL-open']);
      expect(summary(create)).toEqual([['INTERNAL_UPDATE', 255, 315]]);
    });
  });
});
