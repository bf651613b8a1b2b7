/** The domain's enumerations, defined once; schema/enums.ts registers them with GraphQL. */

export enum Priority { P1 = 'P1', P2 = 'P2', P3 = 'P3', P4 = 'P4' }
export enum IncidentStatus {
  TRIGGERED = 'TRIGGERED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  MITIGATED = 'MITIGATED',
  RESOLVED = 'RESOLVED',
  REVIEWED = 'REVIEWED',
}
export enum IncidentStage { IDENTIFICATION = 'IDENTIFICATION', INTERVENTION = 'INTERVENTION', REVIEW = 'REVIEW' }
export enum Resolution { FIXED = 'FIXED', FALSE_POSITIVE = 'FALSE_POSITIVE' }
export enum IncidentSource {
  MONITORING = 'MONITORING',
  INTERNAL = 'INTERNAL',
  CUSTOMER_REPORT = 'CUSTOMER_REPORT',
  PROVIDER = 'PROVIDER',
  MAINTENANCE = 'MAINTENANCE',
}
export enum Audience { INTERNAL = 'INTERNAL', PUBLIC = 'PUBLIC' }
export enum MitigationStatus { PLANNED = 'PLANNED', IN_PROGRESS = 'IN_PROGRESS', EFFECTIVE = 'EFFECTIVE', NOT_EFFECTIVE = 'NOT_EFFECTIVE' }
export enum TaskStatus { OPEN = 'OPEN', IN_PROGRESS = 'IN_PROGRESS', DONE = 'DONE', CANCELLED = 'CANCELLED' }
export enum Role { VIEWER = 'VIEWER', RESPONDER = 'RESPONDER', ANALYST = 'ANALYST', ADMIN = 'ADMIN' }
export enum ActorType { TOKEN = 'TOKEN', PERSON = 'PERSON', INTEGRATION = 'INTEGRATION', SYSTEM = 'SYSTEM' }
export enum IncidentOrder { OPENED_AT_DESC = 'OPENED_AT_DESC', OPENED_AT_ASC = 'OPENED_AT_ASC' }
export enum VendorKind {
  ALERTMANAGER = 'ALERTMANAGER',
  GRAFANA = 'GRAFANA',
  AZURE_MONITOR = 'AZURE_MONITOR',
  TWILIO = 'TWILIO',
  SAP_ALERT_NOTIFICATION = 'SAP_ALERT_NOTIFICATION',
  STATUSPAGE = 'STATUSPAGE',
  GENERIC = 'GENERIC',
}
export enum AlertStatusKind { FIRING = 'FIRING', RESOLVED = 'RESOLVED' }
export enum AlertSeverityKind { CRITICAL = 'CRITICAL', HIGH = 'HIGH', WARNING = 'WARNING', INFO = 'INFO' }
/** An alert's severity as normalizers state it. */
export type AlertSeverity = `${AlertSeverityKind}`;
export enum ChannelKind { SMS = 'SMS', EMAIL = 'EMAIL', SLACK = 'SLACK', WEBHOOK = 'WEBHOOK' }
export enum NotificationStatus { PENDING = 'PENDING', SENDING = 'SENDING', SENT = 'SENT', FAILED = 'FAILED', CANCELLED = 'CANCELLED' }
export enum EscalationState { ACTIVE = 'ACTIVE', STOPPED = 'STOPPED', EXHAUSTED = 'EXHAUSTED' }
export enum EscalationTargetType { PERSON = 'PERSON', SCHEDULE = 'SCHEDULE', TEAM = 'TEAM' }

const ROLE_RANK: Record<Role, number> = { VIEWER: 0, RESPONDER: 1, ANALYST: 2, ADMIN: 3 };

export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}
