import type { DataSource, EntityManager } from 'typeorm';
import { emitAlertChanges, type AlertChange } from '../db/changes';
import { retryingTransientConflicts } from '../db/error-code';
import type { Priority } from '../schema/enums';
import { higherPriority, priorityFor, type IntegrationOptions } from '../schema/integration-options';
import type { Clock } from '../shared/clock';
import type { AlertOrigin, GroupedAlert, IncidentGrouping } from '../services/incident-grouping';
import { claimWebhookReceipts, receiptKey } from '../services/webhook-receipt.service';
import {
  activeAlerts,
  attachToOpenIncidents,
  claimUnattached,
  lockForAttaching,
  resolveActive,
  setIncidents,
  upsertFiring,
  type UnattachedAlert,
  type UpsertedAlert,
} from './alert-sql';
import { alertKey, mergeBatch, type BatchEntry, type MergedAlert } from './merge-batch';
import type { NormalizedAlert } from './normalized-alert';
import { noSuppression, type SuppressionCheck } from './suppression';

export interface IngestItem {
  target: AlertOrigin;
  alerts: NormalizedAlert[];
  /** The vendor's own id of this delivery (Twilio's MessageSid): a retry of an id already taken in adds nothing. */
  deliveryId?: string;
}

export interface IngestResult {
  alertIds: string[];
  incidentIds: string[];
  /** Resolves for alerts that were not firing (already resolved, or never seen). */
  ignored: number;
  /** The delivery id was taken in before: nothing of this request was applied. */
  duplicate?: boolean;
}

interface GroupToOpen {
  target: AlertOrigin;
  groupKey: string;
  alerts: Array<{ row: UpsertedAlert; alert: NormalizedAlert }>;
}

const MAX_ATTEMPTS = 5;
const RELEASE_CHUNK = 500;

/**
 * Turns normalized alerts into alert rows, in one transaction per batch: upsert by (integration, fingerprint), apply
 * resolves and acknowledgements, notify; what that means for incidents (the group's open one or a new one, priority,
 * auto-resolve, acknowledge) is IncidentGrouping's, called in the same transaction.
 */
export class AlertPipeline {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly grouping: IncidentGrouping,
    private readonly suppression: SuppressionCheck = noSuppression,
  ) {}

  async ingest(items: IngestItem[]): Promise<IngestResult[]> {
    if (items.some((item) => item.deliveryId !== undefined)) return this.ingestOnce(items);
    const batch = prepareBatch(items, this.clock.now());
    const state: BatchState = { alertIdByKey: new Map(), incidentIdByKey: new Map() };
    if (batch.merged.every((m) => m.firing && !m.resolveBefore && !m.resolveAfter) && !batch.acknowledgements.length) {
      // Only firing occurrences: one upsert statement is atomic by itself, so it runs without an
      // explicit transaction (one round trip). New alerts then join their group's open incident in
      // one more statement; only groups without one (and outranked incidents) need a transaction.
      // If a later step fails the request fails, and the vendor's retry attaches what is left.
      const suppressed = await this.suppression(this.db.manager, batch.serviceIds, batch.now);
      const upserted = await retrying(() => upsertFiring(this.db.manager, batch.merged, suppressed, batch.now));
      const followUp = this.classify(batch, upserted, state);
      await this.attachToOpen(this.db.manager, followUp, state, batch.now);
      if (followUp.groups.size || followUp.raises.size) {
        await retrying(() => this.db.transaction((manager) => this.attachAndRaise(manager, followUp, state)));
      }
    } else {
      await retrying(() => this.db.transaction((manager) => this.ingestIn(manager, batch, state)));
    }
    return items.map((item) => resultOf(item, state));
  }

  /**
   * Applies items inside the caller's transaction, by the path a delivery takes: a status feed's poll commits its alerts
   * with what it records of the feed, or none of it. Deadlocks abort the caller's transaction, for it to retry.
   */
  async ingestWithin(manager: EntityManager, items: IngestItem[]): Promise<IngestResult[]> {
    const state: BatchState = { alertIdByKey: new Map(), incidentIdByKey: new Map() };
    await this.ingestIn(manager, prepareBatch(items, this.clock.now()), state);
    return items.map((item) => resultOf(item, state));
  }

  /**
   * Attaches firing, unsuppressed alerts that have had no incident since before `firstSeenBefore` exactly as their
   * delivery would have (group, open incident or a new one with its escalation, priority raise, timeline). The fast
   * path commits the upsert on its own, so a crash before its attach leaves such alerts, and without a vendor retry
   * they would page nobody. Claimed with SKIP LOCKED and attached in the same transaction: concurrent runners (and a
   * live delivery of the same alert, which locks it to attach it) never attach one twice. Returns how many it attached.
   */
  async attachUnattached(firstSeenBefore: Date, limit: number, onlyIds: string[] | null = null): Promise<number> {
    return retrying(() =>
      this.db.transaction(async (manager) => {
        const claimed = await claimUnattached(manager, firstSeenBefore, limit, onlyIds);
        if (!claimed.length) return 0;
        const followUp: FollowUp = { groups: new Map(), raises: new Map() };
        const targets = new Map<string, AlertOrigin>();
        // In the order a delivery's upsert returns them (by integration and fingerprint): incident titles and timeline
        // messages name the first alerts of a group.
        const ordered = claimed.map((row) => ({ row, key: alertKey(row.integration_id, row.fingerprint) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        for (const { row } of ordered) {
          const target = targets.get(row.integration_id) ?? targetOf(row);
          targets.set(row.integration_id, target);
          const groupId = alertKey(row.integration_id, row.group_key);
          const group = followUp.groups.get(groupId) ?? { target, groupKey: row.group_key, alerts: [] };
          const { id, integration_id, fingerprint, group_key } = row;
          const upserted: UpsertedAlert = { id, integration_id, fingerprint, group_key, incident_id: null, incident_priority: null, suppressed: false, inserted: false };
          group.alerts.push({ row: upserted, alert: firingAlertOf(row) });
          followUp.groups.set(groupId, group);
        }
        const state: BatchState = { alertIdByKey: new Map(), incidentIdByKey: new Map() };
        await this.attachToOpen(manager, followUp, state, this.clock.now());
        await this.attachAndRaise(manager, followUp, state);
        return claimed.length;
      }),
    );
  }

  /**
   * Alerts a maintenance window released when it ended, still firing: attached at once, as their delivery would have
   * been had there been no window (join or open incidents, page). One a concurrent delivery holds is left to it, or
   * to the repair job.
   */
  async attachReleased(alertIds: string[]): Promise<number> {
    let attached = 0;
    const now = new Date(this.clock.now().getTime() + 1);
    for (let start = 0; start < alertIds.length; start += RELEASE_CHUNK) {
      const chunk = alertIds.slice(start, start + RELEASE_CHUNK);
      attached += await this.attachUnattached(now, chunk.length, chunk);
    }
    return attached;
  }

  /**
   * A batch holding vendor delivery ids (rare: Twilio SMS): the ids are claimed in the same transaction that applies
   * the alerts, so a retry is skipped exactly when the original committed, also when both arrive at once.
   */
  private async ingestOnce(items: IngestItem[]): Promise<IngestResult[]> {
    return retrying(() =>
      this.db.transaction(async (manager) => {
        const now = this.clock.now();
        const receipts = items.map((item) => (item.deliveryId === undefined ? null : { integrationId: item.target.integrationId, deliveryId: item.deliveryId }));
        const claimed = await claimWebhookReceipts(manager, receipts.filter((receipt) => receipt !== null), now);
        // Within the batch, the first request with an id takes it; later ones are its retries.
        const taken = new Set<string>();
        const fresh = items.map((_, index) => {
          const receipt = receipts[index];
          if (!receipt) return true;
          const key = receiptKey(receipt);
          if (!claimed.has(key) || taken.has(key)) return false;
          taken.add(key);
          return true;
        });
        const state: BatchState = { alertIdByKey: new Map(), incidentIdByKey: new Map() };
        const applied = items.filter((_, index) => fresh[index]);
        if (applied.length) await this.ingestIn(manager, prepareBatch(applied, now), state);
        return items.map((item, index) => (fresh[index] ? resultOf(item, state) : { alertIds: [], incidentIds: [], ignored: 0, duplicate: true }));
      }),
    );
  }

  private async ingestIn(manager: EntityManager, batch: PreparedBatch, state: BatchState): Promise<void> {
    const { now, merged, targets } = batch;
    const suppressed = await this.suppression(manager, batch.serviceIds, now);
    const resolvedChanges: AlertChange[] = []; // firing ones are announced by the upsert itself
    const resolvedIncidents = new Map<string, string[]>();

    const applyResolved = async (resolving: MergedAlert[]) => {
      for (const row of await resolveActive(manager, resolving, now)) {
        const key = alertKey(row.integration_id, row.fingerprint);
        state.alertIdByKey.set(key, row.id);
        const target = targets.get(row.integration_id) as AlertOrigin;
        resolvedChanges.push({ alertId: row.id, integrationId: row.integration_id, serviceId: target.serviceId, status: 'RESOLVED', severity: null });
        if (row.incident_id) {
          state.incidentIdByKey.set(key, row.incident_id);
          resolvedIncidents.set(row.incident_id, [...(resolvedIncidents.get(row.incident_id) ?? []), row.id]);
        }
      }
    };

    await applyResolved(merged.filter((m) => m.resolveBefore));
    const upserted = await upsertFiring(manager, merged.filter((m) => m.firing), suppressed, now);
    const followUp = this.classify(batch, upserted, state);
    await this.attachToOpen(manager, followUp, state, now);
    await this.attachAndRaise(manager, followUp, state);
    await applyResolved(merged.filter((m) => m.resolveAfter));
    for (const incidentId of [...resolvedIncidents.keys()].sort()) {
      await this.grouping.alertsResolved(manager, incidentId, resolvedIncidents.get(incidentId)!, targets, now);
    }
    await this.acknowledge(manager, batch.acknowledgements, state);
    await emitAlertChanges(manager, resolvedChanges);
  }

  /** Which upserted alerts need an incident (grouped) and which open incidents they outrank. */
  private classify(batch: PreparedBatch, upserted: UpsertedAlert[], state: BatchState): FollowUp {
    const firingByKey = new Map(batch.merged.filter((m) => m.firing).map((m) => [m.key, m]));
    const followUp: FollowUp = { groups: new Map(), raises: new Map() };
    for (const row of upserted) {
      const key = alertKey(row.integration_id, row.fingerprint);
      const alert = firingByKey.get(key)?.firing as NormalizedAlert;
      const target = batch.targets.get(row.integration_id)!;
      state.alertIdByKey.set(key, row.id);
      if (row.incident_id) {
        state.incidentIdByKey.set(key, row.incident_id);
        noteRaise(followUp, row.incident_id, row.incident_priority, priorityFor(alert, target.options), target);
      } else if (!row.suppressed) {
        const groupId = alertKey(row.integration_id, row.group_key);
        const group = followUp.groups.get(groupId) ?? { target, groupKey: row.group_key, alerts: [] };
        group.alerts.push({ row, alert });
        followUp.groups.set(groupId, group);
      }
    }
    return followUp;
  }

  /**
   * Attaches waiting alerts to their groups' open incidents in one statement; what is left in
   * `followUp.groups` needs an incident opened, or was taken by a concurrent delivery (re-read later).
   */
  private async attachToOpen(manager: EntityManager, followUp: FollowUp, state: BatchState, now: Date): Promise<void> {
    if (!followUp.groups.size) return;
    const groups = [...followUp.groups.values()];
    const integrations = [...new Map(groups.map((group) => [group.target.integrationId, group.target])).values()];
    const attach = () => attachToOpenIncidents(manager, groups.flatMap((group) => group.alerts.map(({ row }) => row.id)), integrations, now);
    // Inside a transaction a deadlock aborts the whole transaction: the caller's retry starts it over.
    const rows = manager.queryRunner?.isTransactionActive ? await attach() : await retrying(attach);
    const attached = new Map(rows.filter((row) => row.incident_id).map((row) => [row.id, row]));
    for (const [groupId, group] of followUp.groups) {
      const left = group.alerts.filter(({ row, alert }) => {
        const done = attached.get(row.id);
        if (!done?.incident_id) return true;
        state.incidentIdByKey.set(alertKey(row.integration_id, row.fingerprint), done.incident_id);
        noteRaise(followUp, done.incident_id, done.incident_priority, priorityFor(alert, group.target.options), group.target);
        return false;
      });
      if (left.length) group.alerts = left;
      else followUp.groups.delete(groupId);
    }
  }

  /**
   * Attaches alerts without an incident to their group's open incident (or a new one) and raises
   * outranked incidents. The alerts are locked and re-read first: a concurrent delivery of the same
   * alert may have attached it already, or it may have resolved.
   */
  private async attachAndRaise(manager: EntityManager, followUp: FollowUp, state: BatchState): Promise<void> {
    const waiting = [...followUp.groups.values()].flatMap((group) => group.alerts.map(({ row }) => row.id));
    if (waiting.length) {
      const current = await lockForAttaching(manager, waiting);
      const unattached = new Set(current.filter((row) => !row.incident_id && row.status === 'FIRING').map((row) => row.id));
      for (const row of current) if (row.incident_id) state.incidentIdByKey.set(keyOfAlert(followUp, row.id), row.incident_id);
      for (const group of followUp.groups.values()) group.alerts = group.alerts.filter(({ row }) => unattached.has(row.id));
    }
    const attachments: Array<{ alertId: string; incidentId: string }> = [];
    for (const groupId of [...followUp.groups.keys()].sort()) {
      const group = followUp.groups.get(groupId)!;
      if (!group.alerts.length) continue;
      const incidentId = await this.grouping.attachGroup(manager, group.target, group.groupKey, group.alerts.map(groupedAlert));
      for (const { row } of group.alerts) {
        attachments.push({ alertId: row.id, incidentId });
        state.incidentIdByKey.set(alertKey(row.integration_id, row.fingerprint), incidentId);
      }
    }
    for (const incidentId of [...followUp.raises.keys()].sort()) {
      const { priority, target } = followUp.raises.get(incidentId)!;
      await this.grouping.raisePriority(manager, target, incidentId, priority);
    }
    await setIncidents(manager, attachments);
  }

  private async acknowledge(manager: EntityManager, entries: BatchEntry[], state: BatchState): Promise<void> {
    const keys = [...new Map(entries.map((entry) => [alertKey(entry.target.integrationId, entry.alert.fingerprint), entry])).values()];
    const active = await activeAlerts(manager, keys.map((entry) => ({ integrationId: entry.target.integrationId, fingerprint: entry.alert.fingerprint })));
    const acknowledged = new Set<string>();
    for (const row of active.sort((a, b) => (a.incident_id ?? '').localeCompare(b.incident_id ?? ''))) {
      const key = alertKey(row.integration_id, row.fingerprint);
      state.alertIdByKey.set(key, row.id);
      if (!row.incident_id) continue;
      state.incidentIdByKey.set(key, row.incident_id);
      if (acknowledged.has(row.incident_id)) continue;
      acknowledged.add(row.incident_id);
      const target = keys.find((entry) => entry.target.integrationId === row.integration_id)!.target;
      await this.grouping.acknowledge(manager, target, row.incident_id);
    }
  }
}

interface PreparedBatch {
  now: Date;
  merged: MergedAlert[];
  acknowledgements: BatchEntry[];
  targets: Map<string, AlertOrigin>;
  serviceIds: string[];
}

interface BatchState {
  alertIdByKey: Map<string, string>;
  incidentIdByKey: Map<string, string>;
}

interface FollowUp {
  groups: Map<string, GroupToOpen>;
  raises: Map<string, { priority: Priority; target: AlertOrigin }>;
}

function resultOf(item: IngestItem, state: BatchState): IngestResult {
  const keys = [...new Set(item.alerts.map((alert) => alertKey(item.target.integrationId, alert.fingerprint)))];
  const alertIds = keys.map((key) => state.alertIdByKey.get(key)).filter((id): id is string => Boolean(id));
  const incidentIds = [...new Set(keys.map((key) => state.incidentIdByKey.get(key)).filter((id): id is string => Boolean(id)))];
  return { alertIds, incidentIds, ignored: keys.length - alertIds.length };
}

function prepareBatch(items: IngestItem[], now: Date): PreparedBatch {
  const all: BatchEntry[] = items.flatMap((item, index) => item.alerts.map((alert) => ({ item: index, target: item.target, alert })));
  return {
    now,
    // An acknowledgement (PagerDuty Events `acknowledge`) acknowledges the alert's incident; it is not another occurrence.
    acknowledgements: all.filter((entry) => isAcknowledgement(entry.alert)),
    merged: mergeBatch(all.filter((entry) => !isAcknowledgement(entry.alert))),
    targets: new Map(items.map((item) => [item.target.integrationId, item.target])),
    serviceIds: [...new Set(items.map((item) => item.target.serviceId))],
  };
}

/** The ingest target of an unattached alert's integration, as the gateway would have built it. */
function targetOf(row: UnattachedAlert): AlertOrigin {
  return { integrationId: row.integration_id, integrationName: row.integration_name, serviceId: row.integration_service_id, options: row.integration_options as IntegrationOptions };
}

/** A stored firing alert as the normalized occurrence that created it (what priority and incident titles read). */
function firingAlertOf(row: UnattachedAlert): NormalizedAlert {
  return {
    fingerprint: row.fingerprint,
    groupKey: row.group_key,
    status: 'FIRING',
    severity: row.severity,
    vendorSeverity: row.vendor_severity,
    kind: row.kind,
    summary: row.summary,
    description: row.description,
    source: row.source,
    labels: row.labels,
    annotations: row.annotations,
    url: row.url,
    startsAt: row.starts_at,
    endsAt: null,
    details: row.details,
  };
}

/** Records that an open incident is outranked by a new occurrence's priority (the highest wins). */
function noteRaise(followUp: FollowUp, incidentId: string, incidentPriority: string | null, priority: Priority, target: AlertOrigin): void {
  if (!incidentPriority || higherPriority(priority, incidentPriority as Priority) === incidentPriority) return;
  followUp.raises.set(incidentId, { priority: higherPriority(priority, followUp.raises.get(incidentId)?.priority ?? priority), target });
}

function keyOfAlert(followUp: FollowUp, alertId: string): string {
  for (const group of followUp.groups.values()) {
    const found = group.alerts.find(({ row }) => row.id === alertId);
    if (found) return alertKey(found.row.integration_id, found.row.fingerprint);
  }
  return '';
}

/** Deadlocks and serialization failures between concurrent batches are retried a few times. */
const retrying = <T>(run: () => Promise<T>): Promise<T> => retryingTransientConflicts(run, MAX_ATTEMPTS);

function isAcknowledgement(alert: NormalizedAlert): boolean {
  return alert.status === 'FIRING' && alert.acknowledged === true;
}

function groupedAlert({ row, alert }: { row: UpsertedAlert; alert: NormalizedAlert }): GroupedAlert {
  return { id: row.id, summary: alert.summary, description: alert.description, kind: alert.kind, severity: alert.severity, vendorSeverity: alert.vendorSeverity };
}
