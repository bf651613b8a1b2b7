import { reviewTimings, type TimingFacts } from '../../../src/services/review/review-timings';

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 29, 0, 30) + minutes * 60_000);

const facts = (overrides: Partial<TimingFacts> = {}): TimingFacts => ({
  impactStartedAt: null,
  firstAlertAt: at(0),
  openedAt: at(1),
  acknowledgedAt: at(6),
  mitigatedAt: at(31),
  resolvedAt: at(91),
  ...overrides,
});

describe('Review timings', () => {
  it('measures acknowledgement, mitigation and resolution from the first alert', () => {
    expect(reviewTimings(facts())).toEqual({
      detectedAt: at(0),
      timeToDetectSeconds: null,
      timeToAcknowledgeSeconds: 360,
      timeToMitigateSeconds: 1860,
      timeToResolveSeconds: 5460,
      impactDurationSeconds: 5460,
    });
  });

  it('measures time to detect from the impact start the author set, and the impact from it', () => {
    const timings = reviewTimings(facts({ impactStartedAt: at(-12) }));
    expect(timings.timeToDetectSeconds).toBe(720);
    expect(timings.impactDurationSeconds).toBe(5460 + 720);
  });

  it('takes the opening as detection for an incident declared by hand, or declared before its first alert', () => {
    expect(reviewTimings(facts({ firstAlertAt: null })).detectedAt).toEqual(at(1));
    expect(reviewTimings(facts({ firstAlertAt: at(5) })).detectedAt).toEqual(at(1));
  });

  it('leaves out what never happened and never goes negative', () => {
    const timings = reviewTimings(facts({ acknowledgedAt: null, mitigatedAt: null, resolvedAt: null, impactStartedAt: at(3) }));
    expect(timings).toMatchObject({ timeToAcknowledgeSeconds: null, timeToMitigateSeconds: null, timeToResolveSeconds: null, impactDurationSeconds: null, timeToDetectSeconds: 0 });
  });

  it('counts elapsed seconds, not wall-clock hours, across the spring DST change', () => {
    // 29 March 2026 01:00 UTC is when Europe moves its clocks; the instants are UTC, so one hour is 3,600 s.
    expect(reviewTimings(facts({ firstAlertAt: at(0), openedAt: at(0), resolvedAt: at(60) })).timeToResolveSeconds).toBe(3600);
  });
});
