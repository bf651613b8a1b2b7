import { NORMALIZERS } from '../../src/ingest/vendors';
import type { Vendor } from '../../src/shared/enums';
import { buildWorkload } from './workload';

/** What bench:soak sends, by kind: the share of the webhook workers' requests, or a steady trickle of its own. */
export type WebhookKind = 'generic' | 'alertmanager' | 'grafana' | 'azure';

/** Distinct repeating generic alerts (each re-sent, as monitors re-send a problem until it is fixed). */
const GENERIC_RING = 2000;
/** Groups the repeating generic alerts fall into: one incident each. */
const GENERIC_GROUPS = 100;
/** A new generic alert (a dedup key never sent before) this often per generic request… */
const FRESH_ALERT_SHARE = 0.05;
/** …and one of those in this many opens a group of its own (a new incident, paged through the reference chain). */
const FRESH_INCIDENT_EVERY = 5;
const GRAFANA_RING = 25;
const AZURE_RING = 50;

export interface OutgoingWebhook {
  kind: WebhookKind;
  body: Buffer;
  /** The fingerprints the server derives from the body (its own normalizer), for the stored-once check. */
  fingerprints: string[];
  /** A generic alert never sent before: its events time the subscription delivery. */
  fresh: string | null;
  /** It opens an incident of its own, whose incidentCreated events time the delivery too. */
  opensIncident: boolean;
}

function fingerprintsOf(vendor: Vendor, body: unknown): string[] {
  return NORMALIZERS[vendor].normalize({ headers: {}, body, contentType: 'json' }).map((alert) => alert.fingerprint);
}

function genericBody(key: string, group: string, severity: 'critical' | 'warning'): Record<string, unknown> {
  return {
    event_action: 'trigger',
    dedup_key: key,
    client: 'bench:soak',
    payload: { summary: `${key} failing`, source: `host-${key}.soak.internal`, severity, group, component: 'api', class: 'availability' },
  };
}

function grafanaBody(index: number): Record<string, unknown> {
  const alert = (n: number) => ({
    status: 'firing',
    labels: { alertname: `SoakPanel${index}`, zone: `zone-${n}`, team: 'web' },
    annotations: { summary: `Panel ${index} zone ${n} over threshold`, description: 'bench:soak' },
    startsAt: '2026-01-05T08:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: `https://grafana.example.com/alerting/${index}/edit`,
    fingerprint: `soak-grafana-${index}-${n}`,
    values: { B: 91.5 },
  });
  return {
    receiver: 'incident-bridge',
    status: 'firing',
    orgId: 1,
    alerts: [alert(0), alert(1)],
    groupLabels: { alertname: `SoakPanel${index}` },
    commonLabels: { alertname: `SoakPanel${index}`, team: 'web' },
    commonAnnotations: {},
    externalURL: 'https://grafana.example.com/',
    version: '1',
    groupKey: `{}:{alertname="SoakPanel${index}"}`,
    truncatedAlerts: 0,
    title: `[FIRING:2] SoakPanel${index}`,
    state: 'alerting',
    message: 'bench:soak',
  };
}

function azureBody(index: number): Record<string, unknown> {
  const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.AlertsManagement/alerts/${id}`,
        alertRule: `soak-metric-rule-${index % 5}`,
        severity: 'Sev2',
        signalType: 'Metric',
        monitorCondition: 'Fired',
        monitoringService: 'Platform',
        alertTargetIDs: [`/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/soak/providers/Microsoft.Compute/virtualMachines/smpp-${index}`],
        configurationItems: [`smpp-${index}`],
        originAlertId: `soak-${id}`,
        firedDateTime: '2026-01-05T08:00:00.0000000Z',
        description: 'bench:soak',
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {},
    },
  };
}

function prepared(kind: WebhookKind, vendor: Vendor, body: unknown, fresh: string | null = null, opensIncident = false): OutgoingWebhook {
  return { kind, body: Buffer.from(JSON.stringify(body)), fingerprints: fingerprintsOf(vendor, body), fresh, opensIncident };
}

/**
 * The webhook bodies of one soak run. Repeating bodies are built once and cycled (as monitors re-send them);
 * fresh generic alerts are made as they are sent, named after the run so a second run never repeats them.
 */
export class SoakTraffic {
  private readonly generic: OutgoingWebhook[];
  private readonly alertmanager: OutgoingWebhook[];
  private readonly grafana: OutgoingWebhook[];
  private readonly azure: OutgoingWebhook[];
  private readonly next: Record<WebhookKind, number> = { generic: 0, alertmanager: 0, grafana: 0, azure: 0 };
  private freshCount = 0;

  constructor(private readonly runId: string) {
    this.generic = Array.from({ length: GENERIC_RING }, (_, index) =>
      prepared('generic', 'GENERIC', genericBody(`soak-${index}`, `soak-group-${index % GENERIC_GROUPS}`, index % 10 === 0 ? 'critical' : 'warning')),
    );
    this.alertmanager = buildWorkload(20).bodies.map((body) => prepared('alertmanager', 'ALERTMANAGER', JSON.parse(body.toString('utf8'))));
    this.grafana = Array.from({ length: GRAFANA_RING }, (_, index) => prepared('grafana', 'GRAFANA', grafanaBody(index)));
    this.azure = Array.from({ length: AZURE_RING }, (_, index) => prepared('azure', 'AZURE_MONITOR', azureBody(index)));
  }

  /** What a webhook worker sends next: 90 % 1-alert generic (some of them new alerts), 10 % 20-alert Alertmanager. */
  nextMixed(random: number): OutgoingWebhook {
    if (random < 0.1) return this.take('alertmanager', this.alertmanager);
    if (random < 0.1 + 0.9 * FRESH_ALERT_SHARE) return this.fresh();
    return this.take('generic', this.generic);
  }

  /** Every repeating body once (the rings of each vendor), in no particular order. */
  repeating(): OutgoingWebhook[] {
    return [...this.generic, ...this.alertmanager, ...this.grafana, ...this.azure];
  }

  /** A new critical generic alert that opens an incident of its own: what proves subscriptions live before the load. */
  probe(): OutgoingWebhook {
    let webhook = this.fresh();
    while (!webhook.opensIncident) webhook = this.fresh();
    return webhook;
  }

  /** The trickle senders' next Grafana or Azure Monitor body. */
  nextOf(kind: 'grafana' | 'azure'): OutgoingWebhook {
    return this.take(kind, kind === 'grafana' ? this.grafana : this.azure);
  }

  private take(kind: WebhookKind, ring: OutgoingWebhook[]): OutgoingWebhook {
    const webhook = ring[this.next[kind] % ring.length];
    this.next[kind] += 1;
    return webhook;
  }

  private fresh(): OutgoingWebhook {
    const index = (this.freshCount += 1);
    const key = `fresh-${this.runId}-${index}`;
    const opensIncident = index % FRESH_INCIDENT_EVERY === 0;
    const group = opensIncident ? key : `soak-group-${index % GENERIC_GROUPS}`;
    return prepared('generic', 'GENERIC', genericBody(key, group, 'critical'), key, opensIncident);
  }
}
