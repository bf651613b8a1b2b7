import type { DataSource } from 'typeorm';
import type { Clock } from '../shared/clock';

/** What became of one Opsgenie API request, as GET /v2/alerts/requests/{requestId} reports it. */
export interface VendorRequestOutcome {
  requestId: string;
  integrationId: string;
  /** Opsgenie's action name: Create, Close, Acknowledge, AddNote. */
  action: string;
  success: boolean;
  /** Opsgenie's wording: "Created alert", "Alert does not exist"… */
  status: string;
  alertId: string | null;
  alias: string | null;
  processedAt: Date;
}

/** Opsgenie's clients poll a request's status within seconds; a week covers any retry or late look. */
const RETENTION_DAYS = 7;

/** Request outcomes in the database, so whichever instance a client polls answers it. */
export class VendorRequestService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(outcome: Omit<VendorRequestOutcome, 'processedAt'>): Promise<VendorRequestOutcome> {
    const processedAt = this.clock.now();
    await this.db.query(
      `INSERT INTO vendor_api_request (request_id, integration_id, action, success, status, alert_id, alias, processed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [outcome.requestId, outcome.integrationId, outcome.action, outcome.success, outcome.status, outcome.alertId, outcome.alias, processedAt],
    );
    return { ...outcome, processedAt };
  }

  /** The outcome of a request made with this integration's key (another integration's requests are not its to read). */
  async get(integrationId: string, requestId: string): Promise<VendorRequestOutcome | null> {
    const [row] = await this.db.query(
      `SELECT request_id, integration_id, action, success, status, alert_id, alias, processed_at FROM vendor_api_request WHERE request_id = $1 AND integration_id = $2`,
      [requestId, integrationId],
    );
    if (!row) return null;
    return {
      requestId: row.request_id,
      integrationId: row.integration_id,
      action: row.action,
      success: row.success,
      status: row.status,
      alertId: row.alert_id,
      alias: row.alias,
      processedAt: row.processed_at,
    };
  }

  /** The alias of an integration's alert by its id, and the incident it belongs to (for close/acknowledge/notes by id). */
  async alertById(integrationId: string, alertId: string): Promise<{ alias: string; incidentId: string | null } | null> {
    const [row] = await this.db.query(`SELECT fingerprint, incident_id FROM alert WHERE id = $1 AND integration_id = $2`, [alertId, integrationId]);
    return row ? { alias: row.fingerprint, incidentId: row.incident_id } : null;
  }

  /** An integration's open (firing) alert with this alias (the dedup index finds it; closed ones are not looked for). */
  async openAlertByAlias(integrationId: string, alias: string): Promise<{ alertId: string; incidentId: string | null } | null> {
    const [row] = await this.db.query(`SELECT id, incident_id FROM alert WHERE integration_id = $1 AND fingerprint = $2 AND status = 'FIRING'`, [integrationId, alias]);
    return row ? { alertId: row.id, incidentId: row.incident_id } : null;
  }

  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - RETENTION_DAYS * 24 * 3600_000);
    const [, deleted] = (await this.db.query(`DELETE FROM vendor_api_request WHERE processed_at < $1`, [cutoff])) as [unknown, number];
    return deleted;
  }
}
