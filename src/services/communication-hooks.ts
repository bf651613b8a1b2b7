import type { CommunicationService } from './communication.service';
import type { IncidentLifecycleHooks } from './incident.service';

/** Opening an incident plans its communication; a priority change plans it again; resolving ends it. */
export function communicationHooks(communication: CommunicationService): IncidentLifecycleHooks {
  return {
    opened: (manager, incident) => communication.opened(manager, incident),
    attended: async (manager, incident, action) => {
      if (action === 'resolve') await communication.resolved(manager, incident.id);
    },
    reprioritized: (manager, incident, from) => communication.reprioritized(manager, incident, from),
  };
}
