/**
 * What the webhook gateway counts, as the gateway sees it; the HTTP layer backs it with Prometheus metrics
 * (http/metrics.ts), so intake does not depend on how they are exported.
 */
export interface WebhookMetrics {
  /** A delivery answered 202: how many alerts it carried and how long it took, in seconds. */
  accepted(vendor: string, alerts: number, seconds: number): void;
  /** A delivery answered with a rejection or a refusal; `outcome` is its reason. */
  refused(vendor: string, outcome: string): void;
  /** A rejected delivery whose dead letter could not be written. */
  deadLetterFailed(): void;
}
