import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics for one process, served at /metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'incident_bridge_' });
  return {
    registry,
    ingestRequests: new Counter({
      name: 'incident_bridge_ingest_requests_total',
      help: 'Webhook deliveries by vendor and outcome (accepted, or the rejection reason).',
      labelNames: ['vendor', 'outcome'] as const,
      registers: [registry],
    }),
    ingestAlerts: new Counter({
      name: 'incident_bridge_ingest_alerts_total',
      help: 'Alerts accepted from webhooks, by vendor.',
      labelNames: ['vendor'] as const,
      registers: [registry],
    }),
    ingestDuration: new Histogram({
      name: 'incident_bridge_ingest_duration_seconds',
      help: 'Time from receiving a webhook to answering it, by vendor and outcome.',
      labelNames: ['vendor', 'outcome'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
