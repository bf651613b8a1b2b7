import { registerEnumType } from 'type-graphql';
import {
  Priority,
  IncidentStatus,
  IncidentStage,
  Resolution,
  IncidentSource,
  Audience,
  MitigationStatus,
  TaskStatus,
  Role,
  ActorType,
  IncidentOrder,
  Vendor,
  AlertStatus,
  AlertSeverity,
  ChannelKind,
  NotificationStatus,
  EscalationState,
  EscalationTargetType,
} from '../shared/enums';

/** Importers take the enums from here, where they are registered with GraphQL; shared/ holds their one definition. */
export * from '../shared/enums';

registerEnumType(Priority, { name: 'Priority', description: 'P1 is the highest.' });
registerEnumType(IncidentStatus, { name: 'IncidentStatus' });
registerEnumType(IncidentStage, { name: 'IncidentStage', description: 'Derived from the status.' });
registerEnumType(Resolution, { name: 'Resolution' });
registerEnumType(IncidentSource, { name: 'IncidentSource' });
registerEnumType(Audience, { name: 'Audience' });
registerEnumType(MitigationStatus, { name: 'MitigationStatus' });
registerEnumType(TaskStatus, { name: 'TaskStatus' });
registerEnumType(Role, { name: 'Role', description: 'VIEWER < RESPONDER < ANALYST < ADMIN' });
registerEnumType(ActorType, { name: 'ActorType' });
registerEnumType(IncidentOrder, { name: 'IncidentOrder' });

registerEnumType(Vendor, { name: 'Vendor', description: 'Which webhook format an integration receives.' });
registerEnumType(AlertStatus, { name: 'AlertStatus' });
registerEnumType(AlertSeverity, { name: 'AlertSeverity', description: 'Vendor-neutral; the integration maps it to a priority.' });

registerEnumType(ChannelKind, { name: 'Channel' });
registerEnumType(NotificationStatus, { name: 'NotificationStatus' });
registerEnumType(EscalationState, { name: 'EscalationState' });
registerEnumType(EscalationTargetType, { name: 'EscalationTargetType' });
