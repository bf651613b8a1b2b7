import type { DataSource, EntityManager } from 'typeorm';
import { StatusSubscriber } from '../../schema/status-subscriber.entity';
import { AuditTargetType, StatusSubscriberState, SubscriberChannel } from '../../shared/enums';
import { SYSTEM_AUDIT, type AuditContext } from '../../shared/audit-context';
import type { Clock } from '../../shared/clock';
import { badInput, notFound } from '../../shared/domain-error';
import type { Page, PageArgs } from '../../shared/page';
import { diffFields } from '../audit-changes';
import type { AuditService } from '../audit.service';
import { DEFAULT_MAX_ATTEMPTS, announceOutbox } from '../notification-planner';
import { decodeTimeCursor, encodeCursor, pageSize } from '../pagination';
import { containsPattern, requireUuid } from '../validation';
import { maskedAddress } from './masked-address';
import type { PublicLinkKeys } from '../public-link-keys';
import { alreadySubscribedEmail, confirmationEmail, type SubscriptionEmail, type SubscriptionEmailFacts } from './subscriber-emails';
import { subscriptionInput, type SubscribeRequest, type UrlPolicy } from './subscriber-input';
import { statusPageUrl, subscriberLink } from './subscriber-links';

/** The public reader's answer for subscribe requests: public component id → service id, for the page's components. */
export interface ComponentDirectory {
  componentServiceIds(slug: string): Promise<Map<string, string> | null>;
}

export interface StatusSubscriberOptions extends UrlPolicy {
  publicBaseUrl: string;
  /** How long a confirmation link is valid (STATUS_CONFIRM_HOURS). */
  confirmHours: number;
}

/** What a public answer may name of a page (its internal id stays here). */
export interface PageRef {
  slug: string;
  title: string;
}

interface PageRow extends PageRef {
  id: string;
}

/**
 * What an unsubscribe link would stop: the subscription, masked (null when it no longer exists), and whether it already
 * stopped.
 */
export interface UnsubscribeTarget {
  page: PageRef;
  subscription: string | null;
  unsubscribed: boolean;
}

/** What a confirmation link did: confirmed (now or before), expired, or its subscriber unsubscribed or was removed. */
export type ConfirmOutcome = 'CONFIRMED' | 'EXPIRED' | 'GONE';

export interface StatusSubscriberCountsView {
  active: number;
  pending: number;
  unsubscribed: number;
  byChannel: Array<{ channel: SubscriberChannel; active: number; pending: number }>;
}

export interface StatusSubscriberFilterArgs {
  search?: string | null;
  channel?: SubscriberChannel | null;
  state?: StatusSubscriberState | null;
}

/** One confirmation (or already-subscribed) e-mail per subscriber per this window, however often its address is submitted. */
const EMAIL_WINDOW_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;
const AUDITED_FIELDS = ['pageId', 'channel', 'address', 'serviceIds', 'confirmedAt', 'unsubscribedAt'] as const;

const STATE_CONDITION: Record<StatusSubscriberState, string> = {
  PENDING: 's.confirmed_at IS NULL AND s.unsubscribed_at IS NULL',
  ACTIVE: 's.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL',
  UNSUBSCRIBED: 's.unsubscribed_at IS NOT NULL',
};

interface UpsertedRow {
  id: string;
  service_ids: string[];
  confirm_expires_at: Date | null;
  confirmed_at: Date | null;
}

/**
 * A status page's subscribers, from the request to the unsubscribe link. Public answers never tell whether an address
 * was known: a request for a new, a pending and a confirmed address does the same work (one upsert, one e-mail queued
 * in the outbox, never sent inline) and is answered alike. E-mail is double opt-in; Slack and webhook URLs are active
 * at once, once the URL guard allows them.
 */
/** An expired confirmation link is kept this long (a late click is told it expired rather than that it is unknown). */
const UNCONFIRMED_GRACE_MS = 86_400_000;

export class StatusSubscriberService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly keys: PublicLinkKeys,
    private readonly components: ComponentDirectory,
    private readonly auditLog: AuditService,
    private readonly options: StatusSubscriberOptions,
  ) {}

  /** Subscribes (or, for a known address, re-sends what it needs); BAD_USER_INPUT naming the field, NOT_FOUND for no such page. */
  async subscribe(slug: string, request: SubscribeRequest): Promise<{ page: PageRef; channel: SubscriberChannel }> {
    const page = await this.page(slug);
    const input = await subscriptionInput(request, this.options);
    const serviceIds = await this.serviceIdsOf(page.slug, input.componentIds);
    const now = this.clock.now();
    const email = input.channel === SubscriberChannel.EMAIL;
    const expiresAt = email ? new Date(now.getTime() + this.options.confirmHours * HOUR_MS) : null;
    await this.db.transaction(async (manager) => {
      // A pending address takes the new components and expiry; a confirmed one keeps what it has (only its owner,
      // through the unsubscribe link, changes it); a Slack or webhook URL already subscribed keeps its secret.
      const [row]: UpsertedRow[] = await manager.query(
        `INSERT INTO status_subscriber AS s (page_id, channel, address, service_ids, signing_secret, confirm_expires_at, confirmed_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7, $8, $8)
         ON CONFLICT (page_id, channel, address) WHERE unsubscribed_at IS NULL DO UPDATE
           SET service_ids = CASE WHEN s.confirmed_at IS NULL THEN EXCLUDED.service_ids ELSE s.service_ids END,
               confirm_expires_at = CASE WHEN s.confirmed_at IS NULL THEN EXCLUDED.confirm_expires_at ELSE s.confirm_expires_at END,
               updated_at = CASE WHEN s.confirmed_at IS NULL THEN EXCLUDED.updated_at ELSE s.updated_at END
         RETURNING s.id, s.service_ids, s.confirm_expires_at, s.confirmed_at`,
        [page.id, input.channel, input.address, serviceIds, input.secret, expiresAt, email ? null : now, now],
      );
      if (email) await this.queueEmail(manager, page, input.address, row, now);
    });
    return { page: refOf(page), channel: input.channel };
  }

  /** Follows a confirmation link; BAD_USER_INPUT naming token for one we did not make. */
  async confirm(slug: string, token: string): Promise<{ page: PageRef; outcome: ConfirmOutcome }> {
    const page = await this.page(slug);
    const verified = await this.keys.verifyLinkToken('confirm', token, this.clock.now());
    if ('error' in verified) {
      if (verified.error === 'invalid') throw badInput('token', 'is not a valid confirmation link');
      return { page: refOf(page), outcome: 'EXPIRED' };
    }
    const now = this.clock.now();
    const [confirmed] = await this.db.query(
      `UPDATE status_subscriber SET confirmed_at = COALESCE(confirmed_at, $3), updated_at = CASE WHEN confirmed_at IS NULL THEN $3 ELSE updated_at END
        WHERE id = $1 AND page_id = $2 AND unsubscribed_at IS NULL RETURNING id`,
      [verified.subscriberId, page.id, now],
    );
    return { page: refOf(page), outcome: (confirmed as unknown[]).length ? 'CONFIRMED' : 'GONE' };
  }

  /**
   * What an unsubscribe link would stop, changing nothing: opening the link only asks (mail security scanners open
   * every link in a message); BAD_USER_INPUT naming token for one we did not make.
   */
  async unsubscribeTarget(slug: string, token: string): Promise<UnsubscribeTarget> {
    const page = await this.page(slug);
    const subscriberId = await this.unsubscribingSubscriber(token);
    const [row]: Array<{ channel: SubscriberChannel; address: string; unsubscribed_at: Date | null }> = await this.db.query(
      `SELECT channel, address, unsubscribed_at FROM status_subscriber WHERE id = $1 AND page_id = $2`,
      [subscriberId, page.id],
    );
    return { page: refOf(page), subscription: row ? maskedAddress(row.channel, row.address) : null, unsubscribed: Boolean(row?.unsubscribed_at) };
  }

  /** Unsubscribes (again is fine): the link's form button or a mail client's one-click POST; BAD_USER_INPUT naming token for one we did not make. */
  async unsubscribe(slug: string, token: string): Promise<{ page: PageRef }> {
    const page = await this.page(slug);
    const subscriberId = await this.unsubscribingSubscriber(token);
    const now = this.clock.now();
    await this.db.query(`UPDATE status_subscriber SET unsubscribed_at = $3, updated_at = $3 WHERE id = $1 AND page_id = $2 AND unsubscribed_at IS NULL`, [
      subscriberId,
      page.id,
      now,
    ]);
    return { page: refOf(page) };
  }

  /** A page's subscribers, newest first (then by id), keyset-paginated. */
  async list(pageId: string, filter: StatusSubscriberFilterArgs = {}, page: PageArgs = {}): Promise<Page<StatusSubscriber>> {
    const id = await this.existingPage(pageId);
    const limit = pageSize(page.first);
    const build = () => {
      const query = this.db.getRepository(StatusSubscriber).createQueryBuilder('s').where('s.page_id = :pageId', { pageId: id });
      if (filter.search) query.andWhere(`s.address ILIKE :pattern ESCAPE '\\'`, { pattern: containsPattern('filter.search', filter.search.trim().toLowerCase()) });
      if (filter.channel) query.andWhere('s.channel = :channel', { channel: filter.channel });
      if (filter.state) query.andWhere(STATE_CONDITION[filter.state]);
      return query;
    };
    const query = build();
    if (page.after) {
      const { at, id: afterId } = decodeTimeCursor(page.after);
      query.andWhere('(s.created_at, s.id) < (:at::timestamptz, :afterId::uuid)', { at, afterId });
    }
    const rows = await query.orderBy('s.created_at', 'DESC').addOrderBy('s.id', 'DESC').limit(limit + 1).getMany();
    const nodes = rows.slice(0, limit);
    return {
      nodes,
      cursors: nodes.map((row) => encodeCursor(row.createdAt.toISOString(), row.id)),
      hasNextPage: rows.length > limit,
      totalCount: () => build().getCount(),
    };
  }

  /** The subscriber counts of each page, in the order asked (zeros for a page without any). */
  async countsOf(pageIds: readonly string[]): Promise<StatusSubscriberCountsView[]> {
    const rows: Array<{ page_id: string; channel: SubscriberChannel; active: number; pending: number; unsubscribed: number }> = await this.db.query(
      `SELECT page_id, channel,
              count(*) FILTER (WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL)::int AS active,
              count(*) FILTER (WHERE confirmed_at IS NULL AND unsubscribed_at IS NULL)::int AS pending,
              count(*) FILTER (WHERE unsubscribed_at IS NOT NULL)::int AS unsubscribed
         FROM status_subscriber WHERE page_id = ANY($1::uuid[]) GROUP BY page_id, channel`,
      [pageIds],
    );
    return pageIds.map((pageId) => {
      const page = rows.filter((row) => row.page_id === pageId);
      const byChannel = Object.values(SubscriberChannel).map((channel) => {
        const row = page.find((counted) => counted.channel === channel);
        return { channel, active: row?.active ?? 0, pending: row?.pending ?? 0 };
      });
      const sum = (field: 'active' | 'pending' | 'unsubscribed') => page.reduce((total, row) => total + row[field], 0);
      return { active: sum('active'), pending: sum('pending'), unsubscribed: sum('unsubscribed'), byChannel };
    });
  }

  /** Deletes a subscriber (and its pending messages), audited; NOT_FOUND for an unknown id. */
  async remove(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [subscriber] = await manager.getRepository(StatusSubscriber).find({ where: { id: requireUuid('id', id) }, lock: { mode: 'pessimistic_write' } });
      if (!subscriber) throw notFound('status subscriber', id);
      await manager.getRepository(StatusSubscriber).delete({ id: subscriber.id });
      // A Slack or webhook URL is a credential of its owner: the entry says it changed, not what it was.
      const secret = subscriber.channel === SubscriberChannel.EMAIL ? [] : ['address'];
      await this.auditLog.record(manager, audit, {
        action: 'statusSubscriber.delete',
        targetType: AuditTargetType.STATUS_SUBSCRIBER,
        targetId: subscriber.id,
        changes: diffFields(subscriber, null, AUDITED_FIELDS, { secret }),
      });
    });
  }

  /**
   * Deletes subscriptions nobody confirmed whose confirmation link expired a day or more ago, in batches: a form
   * anyone can post must not grow the table for ever. Confirmed and unsubscribed ones stay (the page's history).
   */
  async pruneUnconfirmed(batch = 5_000): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - UNCONFIRMED_GRACE_MS);
    let total = 0;
    for (;;) {
      const [{ deleted }] = (await this.db.query(
        `WITH gone AS (
           DELETE FROM status_subscriber WHERE id IN (
             SELECT id FROM status_subscriber WHERE confirmed_at IS NULL AND unsubscribed_at IS NULL AND confirm_expires_at < $1
              ORDER BY confirm_expires_at LIMIT $2)
           RETURNING 1)
         SELECT count(*)::int AS deleted FROM gone`,
        [cutoff, batch],
      )) as Array<{ deleted: number }>;
      total += deleted;
      if (deleted < batch) return total;
    }
  }

  private async unsubscribingSubscriber(token: string): Promise<string> {
    const verified = await this.keys.verifyLinkToken('unsubscribe', token, this.clock.now());
    if ('error' in verified) throw badInput('token', 'is not a valid unsubscribe link');
    return verified.subscriberId;
  }

  private async page(slug: string): Promise<PageRow> {
    const [page]: PageRow[] = await this.db.query(`SELECT id, slug, title FROM status_page WHERE slug = $1`, [slug]);
    if (!page) throw notFound('status page', slug);
    return page;
  }

  private async existingPage(pageId: string): Promise<string> {
    const id = requireUuid('pageId', pageId);
    const [page] = await this.db.query(`SELECT id FROM status_page WHERE id = $1`, [id]);
    if (!page) throw notFound('status page', pageId);
    return id;
  }

  private async serviceIdsOf(slug: string, componentIds: string[]): Promise<string[]> {
    if (!componentIds.length) return [];
    const known = (await this.components.componentServiceIds(slug)) ?? new Map<string, string>();
    const unknown = componentIds.filter((id) => !known.has(id));
    if (unknown.length) throw badInput('components', `no component ${unknown.slice(0, 5).join(', ')} on this page`);
    return [...new Set(componentIds.map((id) => known.get(id) as string))].sort();
  }

  /** The e-mail a request for this address needs, queued in the outbox in the request's transaction. */
  private async queueEmail(manager: EntityManager, page: PageRow, address: string, row: UpsertedRow, now: Date): Promise<void> {
    const base = this.options.publicBaseUrl;
    const unsubscribeUrl = subscriberLink(base, page.slug, 'unsubscribe', await this.keys.linkToken('unsubscribe', row.id));
    const names: Array<{ name: string }> = await manager.query(
      `SELECT s.name FROM status_page_service v JOIN service s ON s.id = v.service_id WHERE v.page_id = $1 AND v.service_id = ANY($2::uuid[]) ORDER BY s.name`,
      [page.id, row.service_ids],
    );
    const facts = { pageTitle: page.title, pageUrl: statusPageUrl(base, page.slug), components: names.map(({ name }) => name), unsubscribeUrl };
    const pending = row.confirmed_at === null;
    const mail = pending ? await this.confirmation(facts, page, row.id, row.confirm_expires_at as Date) : alreadySubscribedEmail(facts);
    const key = `status-subscriber:${row.id}:${pending ? 'confirm' : 'already-subscribed'}:${Math.floor(now.getTime() / EMAIL_WINDOW_MS)}`;
    const queued: unknown[] = await manager.query(
      `INSERT INTO notification (idempotency_key, channel, address, subject, body, data, reason, status, max_attempts, next_attempt_at, due_at, created_at)
       VALUES ($1, 'EMAIL', $2, $3, $4, $5, $6, 'PENDING', $7, $8, $8, $8)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [
        key,
        address,
        mail.subject,
        mail.body,
        JSON.stringify({ statusPageId: page.id, statusSubscriberId: row.id, unsubscribeUrl }),
        pending ? 'status page subscription: confirmation' : 'status page subscription: already subscribed',
        DEFAULT_MAX_ATTEMPTS,
        now,
      ],
    );
    await announceOutbox(manager, queued.length);
  }

  private async confirmation(facts: SubscriptionEmailFacts, page: PageRow, subscriberId: string, expiresAt: Date): Promise<SubscriptionEmail> {
    const confirmUrl = subscriberLink(this.options.publicBaseUrl, page.slug, 'confirm', await this.keys.linkToken('confirm', subscriberId, expiresAt));
    return confirmationEmail(facts, confirmUrl, expiresAt);
  }
}

function refOf({ slug, title }: PageRow): PageRef {
  return { slug, title };
}
