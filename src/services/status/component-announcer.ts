import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../shared/clock';
import { ComponentState, type StatusPageKind } from '../../shared/enums';
import type { PublicComponent } from './public-page';
import { recordStatusEvent } from './status-events';
import type { PublicLinkKeys } from '../public-link-keys';
import type { PublicViews } from './status-fanout.service';
import type { StoredComponentChange } from './statuspage-webhook';

/** What the announcer reads of the public reader: the pages' derived component states and whose services they are. */
export interface ComponentViews extends Pick<PublicViews, 'read'> {
  componentServiceIds(slug: string): Promise<Map<string, string> | null>;
}

const LABEL: Record<ComponentState, string> = {
  OPERATIONAL: 'operational',
  DEGRADED_PERFORMANCE: 'degraded performance',
  PARTIAL_OUTAGE: 'partial outage',
  MAJOR_OUTAGE: 'major outage',
  UNDER_MAINTENANCE: 'under maintenance',
};

interface Announced {
  state: ComponentState;
  changed_at: Date;
}

/**
 * Tells subscribers when a component's state changes. A component's state is derived (from incidents and maintenance),
 * never stored, so a pass compares each page's derived states, as the public reader shows them, with the last state
 * announced (status_component_state) and records one COMPONENT event per change, in the transaction that moves the
 * announced state. A page is reconciled by one instance at a time (its row claimed with SKIP LOCKED, the states read
 * after the claim), so two never announce one change twice, nor an older state after a newer one; an event's key names
 * the state it leaves and since when, so a retried decision records nothing twice. A component never announced counts
 * as OPERATIONAL: a new page tells only what is wrong.
 */
export class ComponentAnnouncer {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly views: ComponentViews,
    private readonly keys: PublicLinkKeys,
  ) {}

  /** One pass over every page; returns the changes it announced. */
  async reconcile(): Promise<number> {
    const pages: Array<{ id: string }> = await this.db.query(`SELECT id FROM status_page ORDER BY slug`);
    let changes = 0;
    for (const page of pages) changes += await this.db.transaction((manager) => this.reconcilePage(manager, page.id));
    return changes;
  }

  private async reconcilePage(manager: EntityManager, pageId: string): Promise<number> {
    const [page]: Array<{ slug: string; kind: StatusPageKind }> = await manager.query(`SELECT slug, kind FROM status_page WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED`, [pageId]);
    if (!page) return 0;
    const [shown, serviceOf] = await Promise.all([this.views.read(page.slug), this.views.componentServiceIds(page.slug)]);
    if (!shown || !serviceOf) return 0;
    const announced = new Map<string, Announced>(
      (await manager.query(`SELECT service_id, state, changed_at FROM status_component_state WHERE page_id = $1`, [pageId])).map((row: Announced & { service_id: string }) => [row.service_id, row]),
    );
    const now = this.clock.now();
    let changes = 0;
    for (const component of shown.components) {
      const serviceId = serviceOf.get(component.id);
      if (!serviceId) continue;
      const before = announced.get(serviceId);
      if (before?.state === component.state) continue;
      const from = before?.state ?? ComponentState.OPERATIONAL;
      await manager.query(
        `INSERT INTO status_component_state (page_id, service_id, state, changed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (page_id, service_id) DO UPDATE SET state = EXCLUDED.state, changed_at = EXCLUDED.changed_at WHERE status_component_state.state <> EXCLUDED.state`,
        [pageId, serviceId, component.state, now],
      );
      if (component.state === from) continue;
      const key = `component:${pageId}:${serviceId}:${from}@${before ? before.changed_at.toISOString() : 'never'}:${component.state}`;
      await recordStatusEvent(manager, {
        key,
        kind: 'COMPONENT',
        pageId,
        pageKind: page.kind,
        serviceIds: [serviceId],
        subject: `${component.name}: ${LABEL[component.state]}`,
        body: `${component.name} changed from ${LABEL[from]} to ${LABEL[component.state]}.`,
        about: { type: 'component', id: serviceId },
        content: { componentChange: await this.change(key, component, from, now) },
        at: now,
      });
      changes += 1;
    }
    return changes;
  }

  private async change(key: string, component: PublicComponent, from: ComponentState, at: Date): Promise<StoredComponentChange> {
    return {
      id: await this.keys.publicId('component-change', key),
      component: { id: component.id, name: component.name, description: component.description, position: component.position, updatedAt: component.updatedAt.toISOString() },
      from,
      to: component.state,
      at: at.toISOString(),
    };
  }
}
