/** What the incident recorded that the review's timings are computed from (all UTC instants). */
export interface TimingFacts {
  /** When the impact began, as the review's author set it; null until set. */
  impactStartedAt: Date | null;
  /** The earliest first_seen_at of the incident's alerts; null for an incident no alert opened or joined. */
  firstAlertAt: Date | null;
  openedAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
}

export interface ReviewTimings {
  /** When we knew: the first alert, or the incident's opening when that was earlier or there was no alert. */
  detectedAt: Date;
  /** Impact start → detection; null until the impact start is set (0 when it was set after detection). */
  timeToDetectSeconds: number | null;
  /** Detection → acknowledgement; null when never acknowledged. */
  timeToAcknowledgeSeconds: number | null;
  /** Detection → mitigation; null when never mitigated. */
  timeToMitigateSeconds: number | null;
  /** Detection → resolution; null while open. */
  timeToResolveSeconds: number | null;
  /** How long the impact lasted: impact start (else detection) → resolution; null while open. */
  impactDurationSeconds: number | null;
}

const seconds = (from: Date, to: Date | null): number | null => (to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null);

/**
 * The review's timings, computed on every read from the incident's own timestamps, so correcting the impact start
 * (the detection time users of other tools cannot correct) moves them at once. Measured from detection, as the
 * analysts' MTTA/MTTR are; time to detect is the one measured from the impact start.
 */
export function reviewTimings(facts: TimingFacts): ReviewTimings {
  const detectedAt = facts.firstAlertAt && facts.firstAlertAt < facts.openedAt ? facts.firstAlertAt : facts.openedAt;
  return {
    detectedAt,
    timeToDetectSeconds: facts.impactStartedAt ? seconds(facts.impactStartedAt, detectedAt) : null,
    timeToAcknowledgeSeconds: seconds(detectedAt, facts.acknowledgedAt),
    timeToMitigateSeconds: seconds(detectedAt, facts.mitigatedAt),
    timeToResolveSeconds: seconds(detectedAt, facts.resolvedAt),
    impactDurationSeconds: seconds(facts.impactStartedAt && facts.impactStartedAt < detectedAt ? facts.impactStartedAt : detectedAt, facts.resolvedAt),
  };
}
