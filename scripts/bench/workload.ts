import { createHash } from 'node:crypto';
import type { NormalizedAlert } from '../../src/ingest/normalized-alert';
import { alertmanagerNormalizer } from '../../src/ingest/vendors/alertmanager.normalizer';

/** Distinct alerts the workload cycles over; every case and the baseline repeat them. */
export const FINGERPRINTS = 2000;
/** Consecutive fingerprints sharing one Alertmanager groupKey (so one incident per group). */
export const GROUP_SIZE = 20;

const STARTS_AT = '2025-01-06T08:00:00.000Z';
const SEVERITIES = ['critical', 'warning', 'info', 'error'] as const;

interface AlertmanagerAlert {
  status: 'firing';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export function fingerprintOf(index: number): string {
  return createHash('sha256').update(`bench-alert-${index}`).digest('hex').slice(0, 16);
}

function groupOf(index: number): number {
  return Math.floor(index / GROUP_SIZE);
}

function alertOf(index: number): AlertmanagerAlert {
  const group = groupOf(index);
  const instance = `node-${String(index).padStart(4, '0')}.bench.internal:9100`;
  return {
    status: 'firing',
    labels: {
      alertname: `BenchAlert${group}`,
      instance,
      job: 'node',
      severity: SEVERITIES[index % SEVERITIES.length],
      team: `team-${group % 7}`,
    },
    annotations: {
      summary: `Instance ${instance} is failing check ${group}`,
      description: `${instance} of job node has been failing check ${group} for more than 5 minutes.`,
      runbook_url: `https://runbooks.example.com/bench/${group}`,
    },
    startsAt: STARTS_AT,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: `http://prometheus:9090/graph?g0.expr=bench_check_${group}%7Binstance%3D%22${encodeURIComponent(instance)}%22%7D`,
    fingerprint: fingerprintOf(index),
  };
}

/** An Alertmanager (version 4) webhook notification, as Alertmanager sends it for one group. */
function notification(indexes: number[]): Record<string, unknown> {
  const group = groupOf(indexes[0]);
  return {
    receiver: 'incident-bridge',
    status: 'firing',
    alerts: indexes.map(alertOf),
    groupLabels: { alertname: `BenchAlert${group}` },
    commonLabels: { alertname: `BenchAlert${group}`, job: 'node' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{alertname="BenchAlert${group}"}`,
    truncatedAlerts: 0,
  };
}

export interface Workload {
  alertsPerRequest: number;
  /** Pre-built request bodies; the load generator cycles through them in order. */
  bodies: Buffer[];
}

/**
 * The alert indexes of each body of the ring, which covers all FINGERPRINTS once per turn:
 * 1 alert per request → one body per fingerprint; 20 per request → one body per group of 20
 * (the whole group, as Alertmanager re-sends it every group_interval).
 * Consecutive bodies belong to different groups (round robin over the groups), as deliveries from
 * many sources interleave; concurrent requests thus rarely wait on the same incident.
 */
function ring(alertsPerRequest: number): number[][] {
  // Each body stays within one group, so it carries a single groupKey like a real notification.
  if (!Number.isInteger(alertsPerRequest) || alertsPerRequest < 1 || GROUP_SIZE % alertsPerRequest !== 0) {
    throw new Error(`alertsPerRequest must divide the group size ${GROUP_SIZE}`);
  }
  const groups = FINGERPRINTS / GROUP_SIZE;
  const bodies: number[][] = [];
  for (let first = 0; first < GROUP_SIZE; first += alertsPerRequest) {
    for (let group = 0; group < groups; group += 1) {
      bodies.push(Array.from({ length: alertsPerRequest }, (_, offset) => group * GROUP_SIZE + first + offset));
    }
  }
  return bodies;
}

export function buildWorkload(alertsPerRequest: number): Workload {
  return { alertsPerRequest, bodies: ring(alertsPerRequest).map((indexes) => Buffer.from(JSON.stringify(notification(indexes)))) };
}

/** The alerts of the 1-alert ring, in its order, as the server sees them after normalizing: the raw-SQL baseline's workload. */
export function normalizedAlerts(): NormalizedAlert[] {
  return ring(1).flatMap((indexes) => alertmanagerNormalizer.normalize({ headers: {}, body: notification(indexes), contentType: 'json' }));
}
