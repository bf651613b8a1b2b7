/**
 * A page's components as Statuspage lists them: each group is itself a component (`group: true`, its members' ids in
 * `components`, the worst of their states), followed by its members (`group_id`); positions count from 1 within
 * their group, or among the top-level entries.
 */
import { createHash } from 'node:crypto';
import { worstState } from '../services/status/component-state';
import type { PublicComponent, PublicPage } from '../services/status/public-page';
import type { ComponentState } from '../shared/enums';
import type { StatuspageComponent, StatuspageComponentStatus } from './statuspage-v2.types';

const COMPONENT_STATUS: Record<ComponentState, StatuspageComponentStatus> = {
  OPERATIONAL: 'operational',
  DEGRADED_PERFORMANCE: 'degraded_performance',
  PARTIAL_OUTAGE: 'partial_outage',
  MAJOR_OUTAGE: 'major_outage',
  UNDER_MAINTENANCE: 'under_maintenance',
};

export function componentStatus(state: ComponentState): StatuspageComponentStatus {
  return COMPONENT_STATUS[state];
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A group has no id of its own (it is a name on the page's components), so its id is derived from the page's public
 * id and the name: stable while the group keeps its name, and made of nothing that is not already public.
 */
export function groupId(pageId: string, groupName: string): string {
  const digest = createHash('sha256').update(`group:${pageId}:${groupName}`).digest();
  let id = '';
  for (let i = 0; i < 12; i += 1) id += BASE32[digest[i] % 32];
  return id;
}

interface Group {
  id: string;
  name: string;
  members: PublicComponent[];
}

/** Top-level entries in page order: a component outside any group, or a group with its members. */
function topLevel(page: PublicPage): Array<PublicComponent | Group> {
  const entries: Array<PublicComponent | Group> = [];
  const groups = new Map<string, Group>();
  for (const component of page.components) {
    if (component.group === null) {
      entries.push(component);
      continue;
    }
    let group = groups.get(component.group);
    if (!group) {
      group = { id: groupId(page.id, component.group), name: component.group, members: [] };
      groups.set(component.group, group);
      entries.push(group);
    }
    group.members.push(component);
  }
  return entries;
}

function componentObject(page: PublicPage, component: PublicComponent, groupIdOf: string | null, position: number): StatuspageComponent {
  return {
    id: component.id,
    name: component.name,
    status: componentStatus(component.state),
    created_at: component.createdAt.toISOString(),
    updated_at: component.updatedAt.toISOString(),
    position,
    description: component.description,
    showcase: true,
    start_date: null,
    group_id: groupIdOf,
    page_id: page.id,
    group: false,
    only_show_if_degraded: false,
  };
}

function groupObject(page: PublicPage, group: Group, position: number): StatuspageComponent {
  const times = group.members.map((member) => member.updatedAt.getTime());
  const created = group.members.map((member) => member.createdAt.getTime());
  return {
    id: group.id,
    name: group.name,
    status: componentStatus(worstState(group.members.map((member) => member.state))),
    created_at: new Date(Math.min(...created)).toISOString(),
    updated_at: new Date(Math.max(...times)).toISOString(),
    position,
    description: null,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: page.id,
    group: true,
    only_show_if_degraded: false,
    components: group.members.map((member) => member.id),
  };
}

export function statuspageComponents(page: PublicPage): StatuspageComponent[] {
  return topLevel(page).flatMap((entry, index) => {
    if (!('members' in entry)) return [componentObject(page, entry, null, index + 1)];
    return [groupObject(page, entry, index + 1), ...entry.members.map((member, at) => componentObject(page, member, entry.id, at + 1))];
  });
}
