import { Transform, type Readable } from 'node:stream';
import QueryStream from 'pg-query-stream';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { conflict } from '../../shared/domain-error';
import { incidentRowsSql } from './incident-metrics.sql';
import type { MetricFigure, MetricsQuery } from './metrics-query';
import { nullableNumber } from './metric-values';
import type { IncidentMetricsArgs, IncidentMetricsService } from './incident-metrics.service';

/** One incident as the export lists it: the facts and every timing the metrics are computed from. */
export interface IncidentExportRow {
  id: string;
  number: number;
  title: string;
  service: string;
  priority: string;
  source: string;
  status: string;
  resolution: string | null;
  integrationId: string | null;
  openedAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  timeToAcknowledgeSeconds: number | null;
  timeToMitigateSeconds: number | null;
  timeToResolveSeconds: number | null;
  timeToDetectSeconds: number | null;
  alerts: number;
  repeatOccurrences: number;
  escalated: boolean;
  pagesSent: number;
  communicationsDue: number;
  communicationsOnTime: number;
}

/** What a row lists beyond the incident's own fields (interruption bands are per person: responderMetrics). */
const EXPORTED_FIGURES: ReadonlySet<MetricFigure> = new Set(['tta', 'ttm', 'ttr', 'ttd', 'alerts', 'repeats', 'escalation', 'pages', 'communications']);

/** Exports at once per instance: each holds a database connection for as long as its client reads. */
const MAX_CONCURRENT_EXPORTS = 2;
/** Rows fetched from the cursor at a time: memory stays constant however many incidents there are. */
const CURSOR_BATCH = 500;

/**
 * The incidents of a metrics period one row each, read through a server-side cursor and handed on as fast as the
 * reader takes them (backpressure reaches the cursor), so a million rows cost the memory of one batch.
 */
export class IncidentExportService {
  private running = 0;

  constructor(
    private readonly db: DataSource,
    private readonly metrics: IncidentMetricsService,
  ) {}

  /** Checks the arguments (BAD_USER_INPUT naming the field) before anything is sent, then opens the stream. */
  async open(args: IncidentMetricsArgs): Promise<Readable> {
    const query = await this.metrics.validated({ ...args, groupBy: [], figures: EXPORTED_FIGURES });
    if (this.running >= MAX_CONCURRENT_EXPORTS) throw conflict(`${MAX_CONCURRENT_EXPORTS} exports are running on this instance: retry when one has finished`, 'export');
    this.running += 1;
    let connection: [PoolClient, (error?: Error) => void];
    try {
      connection = (await (this.db.driver as PostgresDriver).obtainMasterConnection()) as [PoolClient, (error?: Error) => void];
    } catch (error) {
      this.running -= 1;
      throw error;
    }
    return this.streamOn(connection[0], connection[1], query);
  }

  private streamOn(client: PoolClient, giveBack: (error?: Error) => void, query: MetricsQuery): Readable {
    const { sql, params } = incidentRowsSql(query);
    const rows = client.query(new QueryStream(sql, params, { batchSize: CURSOR_BATCH, highWaterMark: CURSOR_BATCH }));
    let released = false;
    const release = (error?: Error) => {
      if (released) return;
      released = true;
      this.running -= 1;
      // A cursor abandoned mid-read leaves the connection inside its portal: it goes back to the pool destroyed.
      giveBack(error ?? (rows.readableEnded ? undefined : new Error('export abandoned')));
    };
    const mapped = rows.pipe(
      new Transform({
        objectMode: true,
        transform(row: Record<string, unknown>, _encoding, done) {
          done(null, exportRow(row));
        },
      }),
    );
    rows.once('error', (error) => {
      release(error);
      mapped.destroy(error);
    });
    rows.once('end', () => release());
    mapped.once('close', () => {
      if (!rows.readableEnded) rows.destroy();
      release();
    });
    return mapped;
  }
}

function exportRow(row: Record<string, unknown>): IncidentExportRow {
  return {
    id: row.id as string,
    number: Number(row.number),
    title: row.title as string,
    service: row.service_name as string,
    priority: row.priority as string,
    source: row.source as string,
    status: row.status as string,
    resolution: (row.resolution as string | null) ?? null,
    integrationId: (row.integration_id as string | null) ?? null,
    openedAt: row.opened_at as Date,
    acknowledgedAt: (row.acknowledged_at as Date | null) ?? null,
    mitigatedAt: (row.mitigated_at as Date | null) ?? null,
    resolvedAt: (row.resolved_at as Date | null) ?? null,
    timeToAcknowledgeSeconds: nullableNumber(row.tta),
    timeToMitigateSeconds: nullableNumber(row.ttm),
    timeToResolveSeconds: nullableNumber(row.ttr),
    timeToDetectSeconds: nullableNumber(row.ttd),
    alerts: Number(row.alerts ?? 0),
    repeatOccurrences: Number(row.repeats ?? 0),
    escalated: row.escalated === true,
    pagesSent: Number(row.pages_sent ?? 0),
    communicationsDue: Number(row.communications_due ?? 0),
    communicationsOnTime: Number(row.communications_on_time ?? 0),
  };
}
