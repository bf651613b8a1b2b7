import { pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyInstance } from 'fastify';
import { Role } from '../schema/enums';
import type { IncidentExportRow, IncidentExportService } from '../services/metrics/incident-export.service';
import { DomainError, ErrorCode } from '../shared/domain-error';
import { metricsArgsOf, type AnalyticsQuerystring } from './analytics-query';
import { tokenWithRole, type TokenGuardDeps } from '../routes/token-guard';

export interface IncidentsCsvDeps extends TokenGuardDeps {
  exports: IncidentExportService;
  retryAfterSeconds: number;
}

const COLUMNS: Array<{ key: keyof IncidentExportRow; header: string }> = [
  { key: 'id', header: 'incident_id' },
  { key: 'number', header: 'number' },
  { key: 'title', header: 'title' },
  { key: 'service', header: 'service' },
  { key: 'priority', header: 'priority' },
  { key: 'source', header: 'source' },
  { key: 'status', header: 'status' },
  { key: 'resolution', header: 'resolution' },
  { key: 'integrationId', header: 'integration_id' },
  { key: 'openedAt', header: 'opened_at' },
  { key: 'acknowledgedAt', header: 'acknowledged_at' },
  { key: 'mitigatedAt', header: 'mitigated_at' },
  { key: 'resolvedAt', header: 'resolved_at' },
  { key: 'timeToAcknowledgeSeconds', header: 'time_to_acknowledge_seconds' },
  { key: 'timeToMitigateSeconds', header: 'time_to_mitigate_seconds' },
  { key: 'timeToResolveSeconds', header: 'time_to_resolve_seconds' },
  { key: 'timeToDetectSeconds', header: 'time_to_detect_seconds' },
  { key: 'alerts', header: 'alerts' },
  { key: 'repeatOccurrences', header: 'repeat_occurrences' },
  { key: 'escalated', header: 'escalated' },
  { key: 'pagesSent', header: 'pages_sent' },
  { key: 'communicationsDue', header: 'communications_due' },
  { key: 'communicationsOnTime', header: 'communications_on_time' },
];

/** A spreadsheet runs a cell that begins like a formula; a leading apostrophe makes it text (OWASP's advice). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * `GET /analytics/incidents.csv`: one row per incident of the metrics period and filter (incidentMetrics' query
 * parameters), every timing as incidentMetrics computes it, streamed from a database cursor at the client's pace.
 * ANALYST token or higher. Bad parameters are a 400 naming the field, before any row is sent.
 */
export function registerIncidentsCsvRoute(app: FastifyInstance, deps: IncidentsCsvDeps): void {
  app.get<{ Querystring: AnalyticsQuerystring }>('/analytics/incidents.csv', async (request, reply) => {
    if (!(await tokenWithRole(deps, request, reply, Role.ANALYST, 'the token may not export incidents (ANALYST or higher)'))) return reply;
    let rows;
    try {
      rows = await deps.exports.open(metricsArgsOf(request.query));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === ErrorCode.CONFLICT) return reply.code(429).header('retry-after', String(deps.retryAfterSeconds)).send({ error: error.message });
      return reply.code(400).send({ error: error.message, field: error.field });
    }
    const csv = stringify({
      header: true,
      columns: COLUMNS,
      cast: { date: (value) => value.toISOString(), boolean: (value) => (value ? 'true' : 'false'), string: neutraliseFormula },
    });
    const body = pipeline(rows, csv, (error) => {
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') request.log.warn({ err: error }, 'incident export ended early');
    });
    return reply
      .type('text/csv; charset=utf-8')
      .headers({ 'content-disposition': 'attachment; filename="incidents.csv"', 'cache-control': 'private, no-store' })
      .send(body);
  });
}
