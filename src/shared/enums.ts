/**
 * The domain's enumerations, defined once; schema/enums.ts registers them with GraphQL. The ones normalizers and
 * channels write as plain strings ('FIRING', 'SMS') are const objects with a union type of the same name, so a
 * literal and a member (AlertStatus.FIRING) are the same value and the same type.
 */

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
export enum TaskStatus { OPEN = 'OPEN', IN_PROGRESS = 'IN_PROGRESS', DONE = 'DONE', WONT_DO = 'WONT_DO' }
export enum Role { VIEWER = 'VIEWER', RESPONDER = 'RESPONDER', ANALYST = 'ANALYST', ADMIN = 'ADMIN' }
export enum ActorType { TOKEN = 'TOKEN', PERSON = 'PERSON', INTEGRATION = 'INTEGRATION', SYSTEM = 'SYSTEM' }
export enum IncidentOrder { OPENED_AT_DESC = 'OPENED_AT_DESC', OPENED_AT_ASC = 'OPENED_AT_ASC' }
/** Which webhook format an integration receives. */
export const Vendor = {
  ALERTMANAGER: 'ALERTMANAGER',
  GRAFANA: 'GRAFANA',
  AZURE_MONITOR: 'AZURE_MONITOR',
  TWILIO: 'TWILIO',
  SAP_ALERT_NOTIFICATION: 'SAP_ALERT_NOTIFICATION',
  STATUSPAGE: 'STATUSPAGE',
  GENERIC: 'GENERIC',
  OPSGENIE: 'OPSGENIE',
  EMAIL: 'EMAIL',
  STATUS_FEED: 'STATUS_FEED',
} as const;
export type Vendor = (typeof Vendor)[keyof typeof Vendor];
/** Whether an alert is firing. */
export const AlertStatus = { FIRING: 'FIRING', RESOLVED: 'RESOLVED' } as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];
/** Vendor-neutral severity; the integration's severity map turns it into a priority P1–P4. */
export const AlertSeverity = { CRITICAL: 'CRITICAL', HIGH: 'HIGH', WARNING: 'WARNING', INFO: 'INFO' } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];
/** How a notification travels. */
export const ChannelKind = { SMS: 'SMS', EMAIL: 'EMAIL', SLACK: 'SLACK', WEBHOOK: 'WEBHOOK' } as const;
export type ChannelKind = (typeof ChannelKind)[keyof typeof ChannelKind];
export enum NotificationStatus { PENDING = 'PENDING', SENDING = 'SENDING', SENT = 'SENT', FAILED = 'FAILED', CANCELLED = 'CANCELLED' }
export enum EscalationState { ACTIVE = 'ACTIVE', STOPPED = 'STOPPED', EXHAUSTED = 'EXHAUSTED', PAUSED = 'PAUSED' }
export enum EscalationTargetType { PERSON = 'PERSON', SCHEDULE = 'SCHEDULE', TEAM = 'TEAM' }

/** What kind of configuration an audit entry is about: the row the mutation changed. */
export enum AuditTargetType {
  SCHEDULE = 'SCHEDULE',
  SCHEDULE_LAYER = 'SCHEDULE_LAYER',
  SCHEDULE_OVERRIDE = 'SCHEDULE_OVERRIDE',
  ESCALATION_POLICY = 'ESCALATION_POLICY',
  SERVICE = 'SERVICE',
  PERSON = 'PERSON',
  CONTACT_METHOD = 'CONTACT_METHOD',
  NOTIFICATION_RULE = 'NOTIFICATION_RULE',
  TEAM = 'TEAM',
  INTEGRATION = 'INTEGRATION',
  API_TOKEN = 'API_TOKEN',
  DEAD_LETTER = 'DEAD_LETTER',
  MAINTENANCE_CALENDAR = 'MAINTENANCE_CALENDAR',
  COMMUNICATION_POLICY = 'COMMUNICATION_POLICY',
  MAINTENANCE_RECURRENCE = 'MAINTENANCE_RECURRENCE',
  STATUS_PAGE = 'STATUS_PAGE',
  STATUS_SUBSCRIBER = 'STATUS_SUBSCRIBER',
  CAUSE_CATEGORY = 'CAUSE_CATEGORY',
  REVIEW_SETTINGS = 'REVIEW_SETTINGS',
  ANALYTICS_LINK = 'ANALYTICS_LINK',
}

/** What a communication obligation asks for: one of the cadences of the reference process. */
export enum CommunicationKind {
  FIRST_PUBLIC_NOTICE = 'FIRST_PUBLIC_NOTICE',
  PUBLIC_UPDATE = 'PUBLIC_UPDATE',
  INTERNAL_UPDATE = 'INTERNAL_UPDATE',
  STATUS_PAGE_UPDATE = 'STATUS_PAGE_UPDATE',
  INCIDENT_CALL = 'INCIDENT_CALL',
  MAINTENANCE_UPDATE = 'MAINTENANCE_UPDATE',
}
/** What just happened to a communication obligation (the communicationDue subscription). */
export enum CommunicationDueStage { SCHEDULED = 'SCHEDULED', MET = 'MET', OVERDUE = 'OVERDUE', ESCALATED = 'ESCALATED', ENDED = 'ENDED' }

const ROLE_RANK: Record<Role, number> = { VIEWER: 0, RESPONDER: 1, ANALYST: 2, ADMIN: 3 };

export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}

/** A maintenance window's kind, derived from its notice: PLANNED with 10 business days' notice, else EMERGENCY. */
export enum MaintenanceKind { PLANNED = 'PLANNED', EMERGENCY = 'EMERGENCY' }
export enum MaintenanceStatus { SCHEDULED = 'SCHEDULED', IN_PROGRESS = 'IN_PROGRESS', COMPLETED = 'COMPLETED', CANCELLED = 'CANCELLED' }
/** What a maintenance window is expected to do to one service. */
export enum MaintenanceImpact { NONE = 'NONE', DEGRADED = 'DEGRADED', PARTIAL_OUTAGE = 'PARTIAL_OUTAGE', MAJOR_OUTAGE = 'MAJOR_OUTAGE' }
export enum MaintenanceWarning { OUTSIDE_OFF_PEAK = 'OUTSIDE_OFF_PEAK' }

/** What a status page shows: our public services, or the providers we depend on (external connectivity). */
export enum StatusPageKind { SERVICES = 'SERVICES', PROVIDERS = 'PROVIDERS' }
/** A component's state on a status page, derived from maintenance and incidents (Statuspage's component statuses). */
export enum ComponentState {
  OPERATIONAL = 'OPERATIONAL',
  DEGRADED_PERFORMANCE = 'DEGRADED_PERFORMANCE',
  PARTIAL_OUTAGE = 'PARTIAL_OUTAGE',
  MAJOR_OUTAGE = 'MAJOR_OUTAGE',
  UNDER_MAINTENANCE = 'UNDER_MAINTENANCE',
}
/** What an incident does to a component it affects. */
export enum ComponentImpact { DEGRADED_PERFORMANCE = 'DEGRADED_PERFORMANCE', PARTIAL_OUTAGE = 'PARTIAL_OUTAGE', MAJOR_OUTAGE = 'MAJOR_OUTAGE' }
/** How a status subscriber is told. */
export enum SubscriberChannel { EMAIL = 'EMAIL', SLACK = 'SLACK', WEBHOOK = 'WEBHOOK' }
/** Where a status subscriber stands: waiting for its e-mail confirmation, told about changes, or gone. */
export enum StatusSubscriberState { PENDING = 'PENDING', ACTIVE = 'ACTIVE', UNSUBSCRIBED = 'UNSUBSCRIBED' }

/** The Incident Record File's lifecycle. */
export enum ReviewStatus { DRAFT = 'DRAFT', IN_REVIEW = 'IN_REVIEW', APPROVED = 'APPROVED' }
/** Where an incident originated: in our platform (an RCA is due) or at a provider (the approved IRF is due). */
export enum ReviewOrigin { INTERNAL = 'INTERNAL', EXTERNAL = 'EXTERNAL' }
/** How an incident was detected. */
export enum DetectionSource { MONITORING = 'MONITORING', INTERNAL = 'INTERNAL', CUSTOMER = 'CUSTOMER', PROVIDER = 'PROVIDER' }
/** A cause's part: the root cause, or a factor that affected duration or impact. */
export enum CauseKind { ROOT = 'ROOT', CONTRIBUTING = 'CONTRIBUTING' }
/** The sections of an IRF an edit names (updateReviewSection) and approval requires. */
export enum ReviewSection {
  SUMMARY = 'SUMMARY',
  TIMELINE = 'TIMELINE',
  DETECTION = 'DETECTION',
  MITIGATION = 'MITIGATION',
  CAUSES = 'CAUSES',
  IMPACT = 'IMPACT',
  PREVENTIVE_ACTIONS = 'PREVENTIVE_ACTIONS',
  LESSONS = 'LESSONS',
  PARTICIPANT = 'PARTICIPANT',
}
/** Which document a review edit is about. */
export enum ReviewDocument { IRF = 'IRF', RCA = 'RCA' }
/** What a review edit did. */
export enum ReviewEditAction {
  OPENED = 'OPENED',
  EDITED = 'EDITED',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  REOPENED = 'REOPENED',
  GENERATED = 'GENERATED',
  PUBLISHED = 'PUBLISHED',
}
/** The RCA document's lifecycle; publishing freezes a version, a later edit goes back to DRAFT. */
export enum RcaStatus { DRAFT = 'DRAFT', IN_REVIEW = 'IN_REVIEW', PUBLISHED = 'PUBLISHED' }
/** Who may read an RCA section: the status page and customers, or only the organisation. */
export enum SectionVisibility { PUBLIC = 'PUBLIC', INTERNAL = 'INTERNAL' }
/** What the follow-up job decided for an incident on one day. */
export enum ReviewReminderStage { REMINDER = 'REMINDER', ESCALATION = 'ESCALATION' }
/** Why a task exists: the long-term fix of a mitigation step, or a preventive action (from the review or by hand). */
export enum TaskKind { LONG_TERM_FIX = 'LONG_TERM_FIX', PREVENTIVE = 'PREVENTIVE' }
/** How a section differs between two RCA versions (compareRcaVersions). */
export enum RcaSectionChangeKind { ADDED = 'ADDED', REMOVED = 'REMOVED', CHANGED = 'CHANGED' }
/** What incidentMetrics groups by: a dimension of the incident, or the period (in the asked zone) it opened in. */
export enum MetricGroup { SERVICE = 'SERVICE', PRIORITY = 'PRIORITY', SOURCE = 'SOURCE', INTEGRATION = 'INTEGRATION', DAY = 'DAY', WEEK = 'WEEK', MONTH = 'MONTH' }
/** Which way in a delivery to an integration came (the integration delivery log). */
export enum IntegrationDeliveryChannel { WEBHOOK = 'WEBHOOK', PAGERDUTY_EVENTS = 'PAGERDUTY_EVENTS', OPSGENIE = 'OPSGENIE', EMAIL = 'EMAIL' }
/** What became of a delivery to an integration (the integration delivery log). */
export enum IntegrationDeliveryOutcome {
  ACCEPTED = 'ACCEPTED',
  DUPLICATE = 'DUPLICATE',
  REJECTED = 'REJECTED',
  RATE_LIMITED = 'RATE_LIMITED',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FAILED = 'FAILED',
}
