import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { IncidentMetricsFilter } from '../../schema/metrics.types';
import { SYSTEM_AUDIT, type AuditContext } from '../../shared/audit-context';
import { AuditTargetType } from '../../shared/enums';
import { diffFields } from '../audit-changes';
import type { AuditService } from '../audit.service';
import type { Clock } from '../../shared/clock';
import { badInput } from '../../shared/domain-error';
import type { PublicLinkKeys } from '../public-link-keys';
import type { IncidentMetricsArgs, IncidentMetricsService } from './incident-metrics.service';

export const DEFAULT_LINK_SECONDS = 3600;
export const MAX_LINK_SECONDS = 7 * 86_400;

/** What a report link carries, all of it signed: the report's arguments and when the link stops working. */
interface LinkBody {
  /** Names the link in the audit log. */
  id: string;
  from: string;
  to: string;
  timeZone: string;
  filter: IncidentMetricsFilter;
  expires: number;
}

export type LinkCheck = { args: IncidentMetricsArgs; expiresAt: Date } | { error: 'invalid' | 'expired' };

/**
 * Signed, expiring links to GET /analytics/report: a browser cannot send a bearer token on a link, so the link itself
 * is the permission, for exactly the period and filter it was made for. Its arguments travel in the URL (nothing is
 * stored), signed with the deployment's link key; changing any of them, or the expiry, breaks the signature.
 */
export class AnalyticsLinkService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditService,
    private readonly keys: PublicLinkKeys,
    private readonly metrics: IncidentMetricsService,
    private readonly publicBaseUrl: string,
  ) {}

  async create(args: IncidentMetricsArgs, expiresInSeconds = DEFAULT_LINK_SECONDS, audit: AuditContext = SYSTEM_AUDIT): Promise<{ path: string; url: string; expiresAt: Date }> {
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 60 || expiresInSeconds > MAX_LINK_SECONDS) {
      throw badInput('expiresInSeconds', `must be a whole number of seconds from 60 to ${MAX_LINK_SECONDS} (7 days)`);
    }
    const query = await this.metrics.validated({ ...args, groupBy: [] });
    const expiresAt = new Date(Math.floor(this.clock.now().getTime() / 1000 + expiresInSeconds) * 1000);
    const body: LinkBody = {
      id: randomUUID(),
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      timeZone: query.timeZone,
      filter: { serviceIds: query.serviceIds, priorities: query.priorities, sources: query.sources, statuses: query.statuses as IncidentMetricsFilter['statuses'], integrationIds: query.integrationIds },
      expires: expiresAt.getTime() / 1000,
    };
    const encoded = Buffer.from(JSON.stringify(body)).toString('base64url');
    const audited = { from: body.from, to: body.to, timeZone: body.timeZone, filter: body.filter, expiresAt: expiresAt.toISOString() };
    await this.db.transaction((manager) =>
      this.auditLog.record(manager, audit, { action: 'analyticsLink.create', targetType: AuditTargetType.ANALYTICS_LINK, targetId: body.id, changes: diffFields(null, audited, ['from', 'to', 'timeZone', 'filter', 'expiresAt']) }),
    );
    const path = `/analytics/report?q=${encoded}&sig=${await this.keys.sign('analytics-report', encoded)}`;
    return { path, url: `${this.publicBaseUrl.replace(/\/$/, '')}${path}`, expiresAt };
  }

  async check(encoded: unknown, signature: unknown): Promise<LinkCheck> {
    if (typeof encoded !== 'string' || typeof signature !== 'string' || encoded.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(encoded)) return { error: 'invalid' };
    if (!(await this.keys.verify('analytics-report', encoded, signature))) return { error: 'invalid' };
    const body = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as LinkBody;
    const expiresAt = new Date(body.expires * 1000);
    if (expiresAt <= this.clock.now()) return { error: 'expired' };
    return { args: { from: new Date(body.from), to: new Date(body.to), timeZone: body.timeZone, filter: body.filter }, expiresAt };
  }
}
