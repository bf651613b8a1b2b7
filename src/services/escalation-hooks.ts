import type { Incident } from '../schema/incident.entity';
import type { EscalationService } from './escalation.service';
import type { IncidentLifecycleHooks } from './incident.service';

/** Opening an incident starts its escalation (unless it is one whose people already know); acknowledging, mitigating or resolving stops it. */
export function escalationHooks(escalation: EscalationService): IncidentLifecycleHooks {
  return {
    opened: async (manager, incident: Incident, { escalate }) => {
      if (escalate) await escalation.start(manager, incident);
    },
    attended: (manager, incident, action, actor) => escalation.stop(manager, incident.id, action === 'acknowledge' ? 'acknowledged' : action === 'mitigate' ? 'mitigated' : 'resolved', actor),
  };
}
