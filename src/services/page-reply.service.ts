import type { DataSource, EntityManager } from 'typeorm';
import { ActorType, IncidentStatus } from '../schema/enums';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import type { IncidentService } from './incident.service';
import { OPEN_STATUSES } from './incident-transitions';
import { claimWebhookReceipts, type WebhookReceipt } from './webhook-receipt.service';

/** "ACK", "ACK 12", "ack #12", "1" — optionally with the incident number. */
const ACK_COMMAND = /^\s*(?:ack(?:nowledge)?|1)\s*(?:#?\s*(\d{1,12}))?\s*[.!]?\s*$/i;

/** A text message a person sent back to us (an SMS reply to a page). */
export interface PageReply {
  /** The sender's address: an E.164 phone number for SMS. */
  from: string;
  text: string;
}

export type PageReplyOutcome =
  | { handled: false }
  | { handled: true; acknowledged: boolean; incidentId: string | null; message: string; duplicate?: boolean };

/**
 * Replies to pages: the reply's sender is matched to a person (an SMS contact method or
 * their phone) and the named incident — or, without a number, the last one paged to that phone —
 * is acknowledged as that person. Anything else is not a command and is ingested as an alert.
 * A command is carried out once per message: its receipt (Twilio's MessageSid) is claimed in the
 * transaction that acknowledges, so Twilio's retry of "ACK" never acknowledges an incident paged since.
 */
export class PageReplyService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly incidents: IncidentService,
  ) {}

  async handle(reply: PageReply, receipt: WebhookReceipt | null): Promise<PageReplyOutcome> {
    const match = ACK_COMMAND.exec(reply.text);
    const from = reply.from;
    if (!match || !from) return { handled: false };
    const [person] = await this.db.query(
      `SELECT p.id, p.name FROM person p
        WHERE p.phone = $1 OR EXISTS (SELECT 1 FROM contact_method c WHERE c.person_id = p.id AND c.channel = 'SMS' AND c.address = $1)
        ORDER BY p.created_at LIMIT 1`,
      [from],
    );
    if (!person) return { handled: false };
    const actor: Actor = { type: ActorType.PERSON, id: person.id, name: person.name, personId: person.id };
    return this.db.transaction(async (manager) => {
      if (receipt && !(await claimWebhookReceipts(manager, [receipt], this.clock.now())).size) {
        return { handled: true, acknowledged: false, incidentId: null, message: 'this message was already handled', duplicate: true };
      }
      const incidentId = match[1] ? await this.incidentByNumber(manager, Number(match[1])) : await this.lastPagedTo(manager, from);
      if (!incidentId) return { handled: true, acknowledged: false, incidentId: null, message: 'no incident to acknowledge' };
      const [incident]: Array<{ number: number; status: IncidentStatus }> = await manager.query(`SELECT number, status FROM incident WHERE id = $1 FOR UPDATE`, [incidentId]);
      if (incident.status !== IncidentStatus.TRIGGERED) {
        // Someone was faster (or an earlier message acknowledged it): nothing to do, and not an error for Twilio.
        return { handled: true, acknowledged: false, incidentId, message: `incident #${incident.number} is already ${incident.status}` };
      }
      await this.incidents.transitionIn(manager, actor, incidentId, 'acknowledge');
      return { handled: true, acknowledged: true, incidentId, message: `incident #${incident.number} acknowledged by ${person.name}` };
    });
  }

  private async incidentByNumber(manager: EntityManager, number: number): Promise<string | null> {
    const [row] = await manager.query(`SELECT id FROM incident WHERE number = $1`, [number]);
    return row?.id ?? null;
  }

  private async lastPagedTo(manager: EntityManager, phone: string): Promise<string | null> {
    const [row] = await manager.query(
      `SELECT n.incident_id AS id FROM notification n JOIN incident i ON i.id = n.incident_id
        WHERE n.channel = 'SMS' AND n.address = $1 AND i.status = ANY($2) ORDER BY n.created_at DESC LIMIT 1`,
      [phone, OPEN_STATUSES],
    );
    return row?.id ?? null;
  }
}
