import { Pool } from 'pg';
import type { NormalizedAlert } from '../../src/ingest/normalized-alert';
import { percentile } from './common';

export const BASELINE_TABLE = 'bench_baseline_alert';

export interface BaselineOptions {
  databaseUrl: string;
  integrationId: string;
  serviceId: string;
  alerts: NormalizedAlert[];
  workers: number;
  poolSize: number;
  seconds: number;
  /** Called when the workers start and when the last one has finished (CPU accounting). */
  onLoad?: { start(): void; end(): void };
}

export interface BaselineResult {
  rows: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  rowsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Σ occurrences in the table afterwards: must equal the rows upserted. */
  occurrences: number;
  /** WAL the cluster wrote while the workers ran (the whole cluster: other databases' writes count too). */
  walBytes: number;
}

/**
 * A table equivalent to `alert`: same columns, defaults, CHECKs and indexes (the partial unique
 * (integration_id, fingerprint) WHERE status = 'FIRING' among them), storage parameters (fillfactor),
 * and the same foreign keys.
 */
export async function createBaselineTable(pool: Pool): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS ${BASELINE_TABLE}`);
  await pool.query(`CREATE TABLE ${BASELINE_TABLE} (LIKE alert INCLUDING ALL)`);
  // LIKE copies no storage parameters; without alert's fillfactor, repeats would not stay HOT updates as they do in alert.
  const [{ reloptions }] = (await pool.query<{ reloptions: string[] | null }>(`SELECT reloptions FROM pg_class WHERE oid = 'alert'::regclass`)).rows;
  if (reloptions?.length) await pool.query(`ALTER TABLE ${BASELINE_TABLE} SET (${reloptions.join(', ')})`);
  await pool.query(`
    ALTER TABLE ${BASELINE_TABLE}
      ADD FOREIGN KEY (integration_id) REFERENCES integration(id) ON DELETE CASCADE,
      ADD FOREIGN KEY (service_id) REFERENCES service(id),
      ADD FOREIGN KEY (incident_id) REFERENCES incident(id) ON DELETE SET NULL`);
}

// The same columns and conflict handling as the server's multi-row upsert (src/ingest/alert-sql.ts), one row per statement.
const UPSERT = `
  INSERT INTO ${BASELINE_TABLE} (integration_id, service_id, fingerprint, group_key, status, severity, vendor_severity, kind, summary,
                                 description, source, labels, annotations, url, details, suppressed, occurrences, starts_at, ends_at,
                                 first_seen_at, last_seen_at)
  VALUES ($1, $2, $3, $4, 'FIRING', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, false, 1, $15, NULL, $16, $16)
  ON CONFLICT (integration_id, fingerprint) WHERE status = 'FIRING'
  DO UPDATE SET occurrences = ${BASELINE_TABLE}.occurrences + EXCLUDED.occurrences,
                last_seen_at = GREATEST(${BASELINE_TABLE}.last_seen_at, EXCLUDED.last_seen_at),
                severity = EXCLUDED.severity, vendor_severity = EXCLUDED.vendor_severity, summary = EXCLUDED.summary,
                description = EXCLUDED.description, source = EXCLUDED.source, labels = EXCLUDED.labels,
                annotations = EXCLUDED.annotations, url = EXCLUDED.url, details = EXCLUDED.details
  RETURNING id`;

/**
 * The naive way to store alerts: one single-row INSERT … ON CONFLICT … DO UPDATE per alert (one commit each),
 * `workers` concurrent loops over a pool of `poolSize`, cycling over the same alerts as the HTTP cases,
 * until `seconds` have passed (each worker finishes the statement it has started).
 */
export async function runBaseline(options: BaselineOptions): Promise<BaselineResult> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize, application_name: 'bench-baseline' });
  // Idle connections are terminated when an interrupted run drops the database: not a crash.
  pool.on('error', () => undefined);
  const params = options.alerts.map((alert) => [
    options.integrationId,
    options.serviceId,
    alert.fingerprint,
    alert.groupKey,
    alert.severity,
    alert.vendorSeverity,
    alert.kind,
    alert.summary,
    alert.description,
    alert.source,
    JSON.stringify(alert.labels),
    JSON.stringify(alert.annotations),
    alert.url,
    JSON.stringify(alert.details),
    alert.startsAt,
  ]);
  try {
    // Open the pool's connections before the clock starts, as the server's pool is open before its cases.
    await Promise.all(Array.from({ length: options.poolSize }, () => pool.query('SELECT 1')));
    let next = 0;
    let rows = 0;
    let errors = 0;
    let firstError: string | null = null;
    const latencies: number[] = [];
    const [{ lsn }] = (await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows;
    options.onLoad?.start();
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const values = params[next % params.length];
        next += 1;
        const sent = performance.now();
        try {
          await pool.query(UPSERT, [...values, new Date()]);
          latencies.push(performance.now() - sent);
          rows += 1;
        } catch (error) {
          errors += 1;
          firstError ??= (error as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: options.workers }, worker));
    const seconds = (performance.now() - started) / 1000;
    options.onLoad?.end();
    const [{ wal }] = (await pool.query<{ wal: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS wal', [lsn])).rows;
    const [{ sum }] = (await pool.query(`SELECT coalesce(sum(occurrences), 0)::bigint AS sum FROM ${BASELINE_TABLE} WHERE integration_id = $1`, [options.integrationId])).rows;
    latencies.sort((a, b) => a - b);
    return {
      rows,
      errors,
      firstError,
      seconds,
      rowsPerSecond: rows / seconds,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      occurrences: Number(sum),
      walBytes: Number(wal),
    };
  } finally {
    await pool.end();
  }
}
