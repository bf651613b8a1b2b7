import type { IncidentLifecycleHooks } from './incident.service';

/** Several modules' hooks as one: each event runs them in the order given, in the same transaction. */
export function allHooks(...hooks: IncidentLifecycleHooks[]): IncidentLifecycleHooks {
  return {
    async opened(manager, incident, options) {
      for (const hook of hooks) await hook.opened(manager, incident, options);
    },
    async attended(manager, incident, action, actor) {
      for (const hook of hooks) await hook.attended(manager, incident, action, actor);
    },
    async reprioritized(manager, incident, from, actor) {
      for (const hook of hooks) await hook.reprioritized?.(manager, incident, from, actor);
    },
  };
}
