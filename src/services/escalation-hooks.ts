import type { Incident } from '../schema/incident.entity';
import type { EscalationService } from './escalation.service';
import type { IncidentLifecycleHooks } from './incident.service';

/** Opening an incident starts its escalation; acknowledging, mitigating or resolving stops it. */
export function escalationHooks(escalation: EscalationService): IncidentLifecycleHooks {
  return {
    opened: (manager, incident: Incident) => escalation.start(manager, incident),
    attended: (manager, incident, action, actor) => escalation.stop(manager, incident.id, action === 'acknowledge' ? 'acknowledged' : action === 'mitigate' ? 'mitigated' : 'resolved', actor),
  };
}
