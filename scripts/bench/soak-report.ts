import { outsideCut, REQUEST_KINDS, WINDOW_SECONDS, type RequestKind, type Sample, type SoakResult } from './soak-scenario';
import { formatInt, formatNumber, percentile } from './common';

export const TARGET_DELIVERY_P99_MS = 250;
/** The last window outside the cut may differ from the first by at most this (throughput down, p99 up). */
export const TARGET_DRIFT = 0.15;

const WEBHOOK_KINDS: readonly RequestKind[] = ['generic', 'alertmanager', 'grafana', 'azure'];

export interface Check {
  label: string;
  pass: boolean;
  detail: string;
}

interface WindowFigures {
  index: number;
  inCut: boolean;
  /** 2xx webhook answers per second, all vendors. */
  webhookRate: number;
  webhookP99: number;
  byKind: Map<RequestKind, { rate: number; p50: number; p99: number }>;
  unavailable: number;
  otherServerErrors: number;
  deliveryP50: number;
  deliveryP99: number;
  deliveries: number;
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const ok = (status: number) => status >= 200 && status < 300;

function windowFigures(result: SoakResult): WindowFigures[] {
  const count = Math.ceil(result.settings.seconds / WINDOW_SECONDS);
  const byWindow: Sample[][] = Array.from({ length: count }, () => []);
  for (const sample of result.samples) {
    const index = Math.floor(sample.at / WINDOW_SECONDS);
    if (sample.at >= 0 && index < count) byWindow[index].push(sample);
  }
  const deliveriesByWindow: number[][] = Array.from({ length: count }, () => []);
  for (const delivery of result.deliveries) {
    const index = Math.floor(delivery.at / WINDOW_SECONDS);
    if (delivery.at >= 0 && index < count) deliveriesByWindow[index].push(delivery.ms);
  }
  return byWindow.map((samples, index) => {
    const seconds = Math.min(WINDOW_SECONDS, result.settings.seconds - index * WINDOW_SECONDS);
    const byKind = new Map<RequestKind, { rate: number; p50: number; p99: number }>();
    for (const kind of REQUEST_KINDS) {
      const answered = sorted(samples.filter((sample) => sample.kind === kind && ok(sample.status)).map((sample) => sample.ms));
      byKind.set(kind, { rate: answered.length / seconds, p50: percentile(answered, 0.5), p99: percentile(answered, 0.99) });
    }
    const webhooks = sorted(samples.filter((sample) => WEBHOOK_KINDS.includes(sample.kind) && ok(sample.status)).map((sample) => sample.ms));
    const deliveries = sorted(deliveriesByWindow[index]);
    return {
      index,
      inCut: !outsideCut(index, result.cut),
      webhookRate: webhooks.length / seconds,
      webhookP99: percentile(webhooks, 0.99),
      byKind,
      unavailable: samples.filter((sample) => sample.status === 503).length,
      otherServerErrors: samples.filter((sample) => sample.status >= 500 && sample.status !== 503).length,
      deliveryP50: percentile(deliveries, 0.5),
      deliveryP99: percentile(deliveries, 0.99),
      deliveries: deliveries.length,
    };
  });
}

export function soakChecks(result: SoakResult): Check[] {
  const { facts } = result;
  const figures = windowFigures(result);
  const outside = figures.filter((window) => !window.inCut);
  const serverErrors = result.samples.filter((sample) => sample.status >= 500 && sample.status !== 503);
  const unavailableWithoutRetryAfter = result.samples.filter((sample) => sample.status === 503 && !sample.retryAfter).length;
  const stayed = result.subscribers.filter((subscriber) => !subscriber.ending);
  const endings = new Map<string, number>();
  for (const subscriber of result.subscribers) if (subscriber.ending) endings.set(subscriber.ending.code, (endings.get(subscriber.ending.code) ?? 0) + 1);
  const resumed = result.subscribers.reduce((sum, subscriber) => sum + subscriber.resumes, 0);
  const deliveriesOutside = sorted(result.deliveries.filter((delivery) => delivery.at >= 0 && outsideCut(Math.floor(delivery.at / WINDOW_SECONDS), result.cut)).map((delivery) => delivery.ms));
  const deliveryP99 = percentile(deliveriesOutside, 0.99);
  const first = outside[0];
  const last = outside.at(-1);
  const comparable = first !== undefined && last !== undefined && first !== last;
  const throughputRatio = comparable ? last.webhookRate / first.webhookRate : Number.NaN;
  const p99Ratio = comparable ? last.webhookP99 / first.webhookP99 : Number.NaN;
  const changes = facts.expectedChanges;
  return [
    {
      label: 'every acknowledged (2xx) alert stored exactly once',
      pass: facts.duplicateRows === 0 && facts.missingRows === 0 && facts.occurrenceMismatches.length === 0,
      detail:
        `${formatInt(facts.acknowledgedAlerts)} alerts acknowledged; duplicate rows ${facts.duplicateRows}, missing ${facts.missingRows}, occurrences outside [acknowledged, +unanswered] ${facts.occurrenceMismatches.length}` +
        (facts.occurrenceMismatches[0] ? ` (e.g. ${JSON.stringify(facts.occurrenceMismatches[0])})` : ''),
    },
    {
      label: 'every committed change delivered to every subscriber that stayed connected',
      pass: facts.undelivered.length === 0,
      detail:
        `${stayed.length}/${result.subscribers.length} stayed connected (${resumed} resumed after SERVICE_UNAVAILABLE; ended with a signal: ${[...endings].map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}); ` +
        `changes to receive: ${changes.criticalGenericAlerts} critical generic alerts, ${changes.trickleAlerts} Grafana/Azure alerts, ${changes.incidentCreated} new and ${changes.incidentUpdated} updated incidents; ` +
        `subscribers missing some: ${facts.undelivered.length}` +
        (facts.undelivered[0] ? ` (e.g. ${facts.undelivered[0].subscriber}: ${facts.undelivered[0].missing} missing, ${facts.undelivered[0].example})` : ''),
    },
    {
      label: 'zero 5xx other than 503 (each 503 with Retry-After)',
      pass: serverErrors.length === 0 && unavailableWithoutRetryAfter === 0,
      detail: `other 5xx ${serverErrors.length}${serverErrors[0] ? ` (first: ${serverErrors[0].status} ${serverErrors[0].kind} on ${serverErrors[0].instance})` : ''}; 503 ${result.samples.filter((sample) => sample.status === 503).length}, of them without Retry-After ${unavailableWithoutRetryAfter}; no answer at all ${result.samples.filter((sample) => sample.status === 0).length}`,
    },
    {
      label: 'zero crashes (both processes alive)',
      pass: result.alive.A && result.alive.B,
      detail: `A ${result.alive.A ? 'alive' : 'EXITED'}, B ${result.alive.B ? 'alive' : 'EXITED'}; server log: A ${result.logCounts.A.warn} warnings ${result.logCounts.A.error} errors, B ${result.logCounts.B.warn} warnings ${result.logCounts.B.error} errors`,
    },
    {
      label: `subscription delivery p99 < ${TARGET_DELIVERY_P99_MS} ms outside the cut`,
      pass: deliveryP99 < TARGET_DELIVERY_P99_MS,
      detail: `p50 ${formatNumber(percentile(deliveriesOutside, 0.5))} ms, p99 ${formatNumber(deliveryP99)} ms over ${formatInt(deliveriesOutside.length)} deliveries (202 → event, fresh alerts and new incidents)`,
    },
    {
      label: `last window within ${TARGET_DRIFT * 100} % of the first (throughput and p99, windows outside the cut)`,
      pass: comparable && throughputRatio >= 1 - TARGET_DRIFT && p99Ratio <= 1 + TARGET_DRIFT,
      detail: comparable
        ? `webhooks ${formatNumber(first.webhookRate)} → ${formatNumber(last.webhookRate)} req/s (×${formatNumber(throughputRatio, 2)}), p99 ${formatNumber(first.webhookP99)} → ${formatNumber(last.webhookP99)} ms (×${formatNumber(p99Ratio, 2)}); windows ${first.index + 1} and ${last.index + 1}`
        : 'fewer than two windows outside the cut: run longer (SOAK_SECONDS)',
    },
  ];
}

const pad = (text: string, width: number) => text.padStart(width);
const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? formatNumber(value, 1) : formatInt(value)) : '–');
const mb = (bytes: number | undefined) => (bytes === undefined ? '–' : formatNumber(bytes / 1024 / 1024, 1));

/** One line per 15-s window: throughput and p50/p99 per kind, errors, delivery latency, RSS, table sizes. */
export function windowTable(result: SoakResult): string[] {
  const figures = windowFigures(result);
  const kinds = REQUEST_KINDS.map((kind) => pad(kind, 19)).join('');
  const lines = [
    `per ${WINDOW_SECONDS}-s window (req/s p50/p99 ms of 2xx answers; delivery = 202 → subscription event; RSS MB; table+index MB)`,
    `${pad('window', 8)}${pad('', 5)}${kinds}${pad('webhooks/s', 11)}${pad('503', 6)}${pad('5xx', 5)}${pad('delivery p50/p99', 18)}${pad('RSS A/B', 12)}${pad('alert', 7)}${pad('chg_log', 8)}${pad('timeline', 9)}${pad('dead alert', 11)}`,
  ];
  for (const window of figures) {
    const sample = result.windows.find((entry) => entry.index === window.index);
    const perKind = REQUEST_KINDS.map((kind) => {
      const figure = window.byKind.get(kind)!;
      return pad(`${formatNumber(figure.rate, figure.rate < 10 ? 1 : 0)} ${ms(figure.p50)}/${ms(figure.p99)}`, 19);
    }).join('');
    lines.push(
      `${pad(`${window.index * WINDOW_SECONDS}–${Math.min((window.index + 1) * WINDOW_SECONDS, result.settings.seconds)}s`, 8)}${pad(window.inCut ? 'CUT' : '', 5)}${perKind}` +
        `${pad(formatNumber(window.webhookRate, 0), 11)}${pad(String(window.unavailable), 6)}${pad(String(window.otherServerErrors), 5)}` +
        `${pad(`${ms(window.deliveryP50)}/${ms(window.deliveryP99)}`, 18)}${pad(sample ? `${formatInt(sample.rssMb.A)}/${formatInt(sample.rssMb.B)}` : '–', 12)}` +
        `${pad(mb(sample?.tableBytes.alert), 7)}${pad(mb(sample?.tableBytes.change_log), 8)}${pad(mb(sample?.tableBytes.timeline_event), 9)}${pad(sample ? formatInt(sample.deadTuples.alert ?? 0) : '–', 11)}`,
    );
  }
  const last = result.windows.at(-1);
  if (last) {
    lines.push(
      `autovacuum runs by the end: ${Object.entries(last.autovacuums)
        .map(([table, runs]) => `${table} ${runs}`)
        .join(', ')}; sizes: ${Object.entries(last.tableBytes)
        .map(([table, bytes]) => `${table} ${mb(bytes)} MB`)
        .join(', ')}`,
    );
  }
  return lines;
}
