import type { DataSource } from 'typeorm';
import { ActorType, IncidentStatus } from '../schema/enums';
import type { Actor } from '../shared/actor';
import type { IncidentService } from '../services/incident.service';
import { OPEN_STATUSES } from '../services/incident-transitions';

/** "ACK", "ACK 12", "ack #12", "1" — optionally with the incident number. */
const ACK_COMMAND = /^\s*(?:ack(?:nowledge)?|1)\s*(?:#?\s*(\d{1,12}))?\s*[.!]?\s*$/i;

export type SmsCommandOutcome =
  | { handled: false }
  | { handled: true; acknowledged: boolean; incidentId: string | null; message: string };

/**
 * Replies to pages: the inbound SMS's sender is matched to a person (an SMS contact method or
 * their phone) and the named incident — or, without a number, the last one paged to that phone —
 * is acknowledged as that person. Anything else is not a command and is ingested as an alert.
 */
export class SmsCommandHandler {
  constructor(
    private readonly db: DataSource,
    private readonly incidents: IncidentService,
  ) {}

  async handle(params: Record<string, string>): Promise<SmsCommandOutcome> {
    const match = ACK_COMMAND.exec(params.Body ?? '');
    const from = params.From;
    if (!match || !from) return { handled: false };
    const [person] = await this.db.query(
      `SELECT p.id, p.name FROM person p
        WHERE p.phone = $1 OR EXISTS (SELECT 1 FROM contact_method c WHERE c.person_id = p.id AND c.channel = 'SMS' AND c.address = $1)
        ORDER BY p.created_at LIMIT 1`,
      [from],
    );
    if (!person) return { handled: false };
    const incidentId = match[1] ? await this.incidentByNumber(Number(match[1])) : await this.lastPagedTo(from);
    if (!incidentId) return { handled: true, acknowledged: false, incidentId: null, message: 'no incident to acknowledge' };
    const actor: Actor = { type: ActorType.PERSON, id: person.id, name: person.name, personId: person.id };
    const incident = await this.incidents.get(incidentId);
    if (incident.status !== IncidentStatus.TRIGGERED) {
      // A retried delivery, or someone was faster: nothing to do, and not an error for Twilio.
      return { handled: true, acknowledged: false, incidentId, message: `incident #${incident.number} is already ${incident.status}` };
    }
    await this.incidents.acknowledge(actor, incidentId).catch((error: { code?: string }) => {
      if (error.code !== 'CONFLICT') throw error;
    });
    return { handled: true, acknowledged: true, incidentId, message: `incident #${incident.number} acknowledged by ${person.name}` };
  }

  private async incidentByNumber(number: number): Promise<string | null> {
    const [row] = await this.db.query(`SELECT id FROM incident WHERE number = $1`, [number]);
    return row?.id ?? null;
  }

  private async lastPagedTo(phone: string): Promise<string | null> {
    const [row] = await this.db.query(
      `SELECT n.incident_id AS id FROM notification n JOIN incident i ON i.id = n.incident_id
        WHERE n.channel = 'SMS' AND n.address = $1 AND i.status = ANY($2) ORDER BY n.created_at DESC LIMIT 1`,
      [phone, OPEN_STATUSES],
    );
    return row?.id ?? null;
  }
}
