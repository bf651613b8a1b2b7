import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { WebhookMetrics } from '../ingest/webhook-metrics';

export interface BacklogProbes {
  /** Escalations whose next step is overdue by more than a minute (runners not keeping up). */
  overdueEscalations(): Promise<number>;
  /** Outbox messages due and not yet sent. */
  outboxBacklog(): Promise<number>;
}

/**
 * A gauge read from PostgreSQL is NaN while the database cannot answer, so the scrape still brings everything
 * this process counted itself (what an outage looks like from here is exactly what is wanted then).
 */
async function readOrNaN(read: () => Promise<number>): Promise<number> {
  try {
    return await read();
  } catch {
    return Number.NaN;
  }
}

/** Prometheus metrics for one process, served at /metrics. Backlogs are read from PostgreSQL at scrape time. */
export function createMetrics(probes: BacklogProbes) {
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
    deadLetterFailures: new Counter({
      name: 'incident_bridge_dead_letter_failures_total',
      help: 'Rejected webhooks whose dead letter could not be written (answered 503 so the sender retries; should be 0).',
      registers: [registry],
    }),
    ingestAlerts: new Counter({
      name: 'incident_bridge_ingest_alerts_total',
      help: 'Alerts accepted from webhooks, by vendor.',
      labelNames: ['vendor'] as const,
      registers: [registry],
    }),
    overdueEscalations: new Gauge({
      name: 'incident_bridge_escalations_overdue',
      help: 'Active escalations whose next step is more than a minute overdue (should be 0).',
      registers: [registry],
      async collect() {
        this.set(await readOrNaN(probes.overdueEscalations));
      },
    }),
    outboxBacklog: new Gauge({
      name: 'incident_bridge_outbox_backlog',
      help: 'Notifications due for delivery and not yet sent.',
      registers: [registry],
      async collect() {
        this.set(await readOrNaN(probes.outboxBacklog));
      },
    }),
    alertsRepaired: new Counter({
      name: 'incident_bridge_alerts_repaired_total',
      help: 'Firing alerts found without an incident (a crash between the ingest upsert and its attach) and attached by the repair job.',
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

/** The webhook gateway's counts, recorded in these metrics. */
export function webhookMetricsOf(metrics: Metrics): WebhookMetrics {
  // Labelled children resolved once per vendor: resolving labels on every delivery was ~2 % of a request.
  const acceptedByVendor = new Map<string, { requests: Counter.Internal; alerts: Counter.Internal; duration: Histogram.Internal<string> }>();
  return {
    accepted(vendor, alerts, seconds) {
      let found = acceptedByVendor.get(vendor);
      if (!found) {
        found = {
          requests: metrics.ingestRequests.labels({ vendor, outcome: 'accepted' }),
          alerts: metrics.ingestAlerts.labels({ vendor }),
          duration: metrics.ingestDuration.labels({ vendor, outcome: 'accepted' }),
        };
        acceptedByVendor.set(vendor, found);
      }
      found.requests.inc();
      found.alerts.inc(alerts);
      found.duration.observe(seconds);
    },
    refused(vendor, outcome) {
      metrics.ingestRequests.inc({ vendor, outcome });
    },
    deadLetterFailed() {
      metrics.deadLetterFailures.inc();
    },
  };
}
