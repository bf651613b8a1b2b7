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
  AuditTargetType,
  MaintenanceKind,
  MaintenanceStatus,
  MaintenanceImpact,
  MaintenanceWarning,
  CommunicationKind,
  CommunicationDueStage,
  StatusPageKind,
  ComponentState,
  ComponentImpact,
  SubscriberChannel,
  StatusSubscriberState,
  ReviewStatus,
  ReviewOrigin,
  DetectionSource,
  CauseKind,
  ReviewSection,
  ReviewDocument,
  ReviewEditAction,
  RcaStatus,
  SectionVisibility,
  ReviewReminderStage,
  TaskKind,
  RcaSectionChangeKind,
  MetricGroup,
  IntegrationDeliveryChannel,
  IntegrationDeliveryOutcome,
} from '../shared/enums';

/** Importers take the enums from here, where they are registered with GraphQL; shared/ holds their one definition. */
export * from '../shared/enums';


registerEnumType(Priority, {
  name: 'Priority',
  description: "How urgent an incident is; P1 is the highest. Vendor severities map onto it through the integration's severity map.",
  valuesConfig: {
    P1: { description: 'The highest: the system is down, services are not operational, users cannot complete a crucial process, or an external service or integrated tool is down.' },
    P2: { description: 'Serious, but less than P1.' },
    P3: { description: 'Moderate.' },
    P4: { description: 'The lowest.' },
  },
});
registerEnumType(IncidentStatus, {
  name: 'IncidentStatus',
  description: 'Where an incident is in its lifecycle: TRIGGERED → ACKNOWLEDGED → MITIGATED → RESOLVED → REVIEWED (resolving is allowed from any open status).',
  valuesConfig: {
    TRIGGERED: { description: 'Opened; nobody has taken it yet (its escalation, if its service has a policy, is paging).' },
    ACKNOWLEDGED: { description: 'Someone is on it; escalation stopped.' },
    MITIGATED: { description: 'The impact is contained; restoration may still be under way.' },
    RESOLVED: { description: 'Over, with a resolution; the post-incident review is due.' },
    REVIEWED: { description: 'The post-incident review is done.' },
  },
});
registerEnumType(IncidentStage, {
  name: 'IncidentStage',
  description: 'The stage of the response, derived from the status.',
  valuesConfig: {
    IDENTIFICATION: { description: 'Detect and assess: TRIGGERED.' },
    INTERVENTION: { description: 'Mitigate and restore: ACKNOWLEDGED or MITIGATED.' },
    REVIEW: { description: 'Document and learn: RESOLVED or REVIEWED.' },
  },
});
registerEnumType(Resolution, {
  name: 'Resolution',
  description: 'How an incident was resolved.',
  valuesConfig: {
    FIXED: { description: 'The disruption was real and is fixed.' },
    FALSE_POSITIVE: { description: 'There was no disruption; the alert or report was wrong.' },
  },
});
registerEnumType(IncidentSource, {
  name: 'IncidentSource',
  description: 'How an incident started.',
  valuesConfig: {
    MONITORING: { description: 'Monitoring alerts (webhooks).' },
    INTERNAL: { description: 'Someone inside the organisation noticed it (the default for declareIncident).' },
    CUSTOMER_REPORT: { description: "A user's ticket or report." },
    PROVIDER: { description: 'An external provider announced an outage (e.g. through its status page).' },
    MAINTENANCE: { description: 'Scheduled maintenance being communicated.' },
  },
});
registerEnumType(Audience, {
  name: 'Audience',
  description: 'Who a status update is for.',
  valuesConfig: {
    INTERNAL: { description: 'Responders and the rest of the organisation.' },
    PUBLIC: { description: 'The public status page and customers.' },
  },
});
registerEnumType(MitigationStatus, {
  name: 'MitigationStatus',
  description: 'Where a mitigation step is: announced, running, then judged; finished steps do not move again.',
  valuesConfig: {
    PLANNED: { description: 'Announced, not started.' },
    IN_PROGRESS: { description: 'Running.' },
    EFFECTIVE: { description: 'Done, and it helped.' },
    NOT_EFFECTIVE: { description: 'Done, and it did not help.' },
  },
});
registerEnumType(TaskStatus, {
  name: 'TaskStatus',
  description: 'Where a follow-up task is.',
  valuesConfig: {
    OPEN: { description: 'Not started.' },
    IN_PROGRESS: { description: 'Being worked on.' },
    DONE: { description: 'Done.' },
    WONT_DO: { description: 'Will not be done; statusReason says why.' },
  },
});
registerEnumType(Role, {
  name: 'Role',
  description: 'What an API token may do: VIEWER < RESPONDER < ANALYST < ADMIN; each role may do everything the ones below it may.',
  valuesConfig: {
    VIEWER: { description: 'Read everything but tokens, integrations and dead letters, and subscribe.' },
    RESPONDER: { description: 'Also work incidents (declare, acknowledge, mitigate, resolve, update, notes, status updates, mitigation steps, escalate), create and delete schedule overrides, and add contact methods for its own person.' },
    ANALYST: { description: 'Everything a RESPONDER may do; no operation asks for ANALYST itself today.' },
    ADMIN: { description: 'Also manage services, people (their contact methods and notification rules too), teams, schedules, escalation policies, integrations, dead letters and API tokens.' },
  },
});
registerEnumType(ActorType, {
  name: 'ActorType',
  description: 'What kind of actor did something on a timeline.',
  valuesConfig: {
    TOKEN: { description: 'An API token (a person or a program calling the API).' },
    PERSON: { description: 'A person acting outside the API, e.g. acknowledging by SMS.' },
    INTEGRATION: { description: 'A webhook integration (its alerts).' },
    SYSTEM: { description: 'The server itself: jobs, escalation, delivery.' },
  },
});
registerEnumType(IncidentOrder, {
  name: 'IncidentOrder',
  description: 'The order of an incident list.',
  valuesConfig: {
    OPENED_AT_DESC: { description: 'Newest opened first (ties by id, descending).' },
    OPENED_AT_ASC: { description: 'Oldest opened first (ties by id, ascending).' },
  },
});

registerEnumType(Vendor, {
  name: 'Vendor',
  description: "Which webhook format an integration receives (docs/webhooks.md has each one's payload and authentication).",
  valuesConfig: {
    ALERTMANAGER: { description: "Prometheus Alertmanager's webhook." },
    GRAFANA: { description: "Grafana alerting's webhook contact point." },
    AZURE_MONITOR: { description: "Azure Monitor's common alert schema." },
    TWILIO: { description: "Twilio's inbound SMS (an ACK reply acknowledges an incident), message status callbacks and status page, verified by X-Twilio-Signature." },
    SAP_ALERT_NOTIFICATION: { description: "SAP Alert Notification service's webhook." },
    STATUSPAGE: { description: "Atlassian Statuspage's webhook: a provider's announced outages." },
    GENERIC: { description: "PagerDuty's Events API v2 body, for anything else; its secret is also a routing_key for the drop-in POST /v2/enqueue (docs/migrating-from-pagerduty-opsgenie.md)." },
    OPSGENIE: { description: "Opsgenie's Alert API, served at /v2/alerts with Authorization: GenieKey <secret> (docs/migrating-from-pagerduty-opsgenie.md)." },
    EMAIL: { description: 'Inbound e-mail to <integration secret>@<SMTP_INGEST_DOMAIN> on the SMTP listener, when one is configured (docs/email-ingest.md).' },
    STATUS_FEED: { description: "A provider's status feed polled at options.statusFeed.url: Statuspage summary.json or incidents.json, Atom or RSS (docs/status-feeds.md)." },
  },
});
registerEnumType(AlertStatus, {
  name: 'AlertStatus',
  description: 'Whether an alert is still going on.',
  valuesConfig: {
    FIRING: { description: 'The problem is going on.' },
    RESOLVED: { description: 'The vendor reported it over, or its incident was resolved.' },
  },
});
registerEnumType(AlertSeverity, {
  name: 'AlertSeverity',
  description: 'Vendor-neutral severity; the integration maps it to a priority.',
  valuesConfig: {
    CRITICAL: { description: 'Something is down (e.g. critical, fatal, page; Azure Sev0; SAP FATAL).' },
    HIGH: { description: 'Badly degraded (e.g. high, error, major; Azure Sev1; SAP ERROR).' },
    WARNING: { description: 'Degraded or at risk (e.g. warning, minor; Azure Sev2; SAP WARNING).' },
    INFO: { description: 'For information (e.g. info, low; Azure Sev3 and Sev4; SAP NOTICE and INFO).' },
  },
});

registerEnumType(ChannelKind, {
  name: 'Channel',
  description: 'How a page is sent.',
  valuesConfig: {
    SMS: { description: 'A text message to an E.164 number (Twilio).' },
    EMAIL: { description: 'An e-mail (SMTP).' },
    SLACK: { description: 'A message to a Slack incoming-webhook URL.' },
    WEBHOOK: { description: 'A signed JSON POST to a URL (X-IncidentBridge-Signature).' },
  },
});
registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description: 'Where a page is in its delivery (at least once, with retries).',
  valuesConfig: {
    PENDING: { description: 'Waiting for its next attempt (nextAttemptAt).' },
    SENDING: { description: 'A delivery worker holds it and is sending.' },
    SENT: { description: 'The channel accepted it.' },
    FAILED: { description: 'Every attempt failed, or the failure cannot be retried; lastError says why.' },
    CANCELLED: { description: 'The escalation stopped before it was sent.' },
  },
});
registerEnumType(EscalationState, {
  name: 'EscalationState',
  description: "Where an incident's escalation is.",
  valuesConfig: {
    ACTIVE: { description: 'Paging step by step until someone acknowledges.' },
    STOPPED: { description: 'The incident was acknowledged, mitigated or resolved.' },
    EXHAUSTED: { description: 'Every step was paged, with every repeat, and nobody acknowledged.' },
    PAUSED: { description: 'Waiting while a maintenance window suppresses the alerts that opened the incident; it resumes when the window ends.' },
  },
});
registerEnumType(EscalationTargetType, {
  name: 'EscalationTargetType',
  description: 'What an escalation target names.',
  valuesConfig: {
    PERSON: { description: 'One person.' },
    SCHEDULE: { description: 'Whoever is on call on the schedule when the step fires (and its backups, with includeBackups).' },
    TEAM: { description: 'Every member of the team.' },
  },
});

registerEnumType(AuditTargetType, {
  name: 'AuditTargetType',
  description: 'The kind of configuration an audit entry is about.',
  valuesConfig: {
    SCHEDULE: { description: 'An on-call schedule (its name, time zone, backups; deleting it).' },
    SCHEDULE_LAYER: { description: 'A layer of a schedule (participants, rotation, start, restrictions).' },
    SCHEDULE_OVERRIDE: { description: 'A temporary override putting a person on call.' },
    ESCALATION_POLICY: { description: 'An escalation policy and its steps.' },
    SERVICE: { description: 'A service of the catalog, including which escalation policy it uses.' },
    PERSON: { description: 'A person of the catalog.' },
    CONTACT_METHOD: { description: "A person's contact method (SMS number, e-mail, Slack or webhook URL)." },
    NOTIFICATION_RULE: { description: 'When a contact method is used after a page (its delay).' },
    TEAM: { description: 'A team and its membership.' },
    INTEGRATION: { description: 'A webhook integration: name, enabled, options, credentials (secrets redacted).' },
    API_TOKEN: { description: 'An API token: name, role, expiry, revocation (the secret is never recorded).' },
    DEAD_LETTER: { description: 'A rejected webhook delivery that was replayed.' },
    MAINTENANCE_CALENDAR: { description: 'The business-day calendar maintenance notice is counted in (holiday region, extra dates, zone).' },
    COMMUNICATION_POLICY: { description: 'The communication cadence of one priority (its intervals and reminder grace).' },
    MAINTENANCE_RECURRENCE: { description: 'A recurring maintenance rule (its weekly pattern, services, team, horizon; deleting it).' },
    STATUS_PAGE: { description: 'A public status page (its slug, title, zone and components).' },
    STATUS_SUBSCRIBER: { description: 'A subscriber of a status page, removed by an admin (its channel, address and components are recorded; a signing secret never).' },
    CAUSE_CATEGORY: { description: 'A category of the editable list post-incident review causes are filed under.' },
    REVIEW_SETTINGS: { description: 'The review settings: business days until an RCA is due, and the reviewer overdue ones escalate to.' },
    ANALYTICS_LINK: { description: 'A signed link to the incident report (createAnalyticsLink): who made it, for which period and filter, until when.' },
  },
});

registerEnumType(MaintenanceKind, {
  name: 'MaintenanceKind',
  description: 'Derived from the dates, never chosen: PLANNED when announced at least 10 business days before it starts, else EMERGENCY.',
  valuesConfig: {
    PLANNED: { description: 'Announced at least 10 business days ahead (weekends and the calendar\'s holidays do not count).' },
    EMERGENCY: { description: 'Announced with less notice than planned maintenance needs.' },
  },
});
registerEnumType(MaintenanceStatus, {
  name: 'MaintenanceStatus',
  description: 'Where a maintenance window is: SCHEDULED → IN_PROGRESS → COMPLETED, or CANCELLED before it completes.',
  valuesConfig: {
    SCHEDULED: { description: 'Announced; it has not started.' },
    IN_PROGRESS: { description: 'Running: alerts of its services are recorded as suppressed and page nobody.' },
    COMPLETED: { description: 'Over (by hand or at its end); alerts still firing were re-evaluated.' },
    CANCELLED: { description: 'Called off before it completed; alerts still firing were re-evaluated.' },
  },
});
registerEnumType(MaintenanceImpact, {
  name: 'MaintenanceImpact',
  description: 'What a maintenance window is expected to do to one of its services.',
  valuesConfig: {
    NONE: { description: 'No visible effect expected.' },
    DEGRADED: { description: 'The service works, slower or with reduced quality.' },
    PARTIAL_OUTAGE: { description: 'Part of the service is unavailable.' },
    MAJOR_OUTAGE: { description: 'The service is down: the window opens a linked incident (P1 by default) when it starts.' },
  },
});
registerEnumType(MaintenanceWarning, {
  name: 'MaintenanceWarning',
  description: 'Something about a maintenance window worth a second look; a warning, not a refusal.',
  valuesConfig: {
    OUTSIDE_OFF_PEAK: { description: 'The window runs, at least partly, outside the off-peak hours of one of its services.' },
  },
});
registerEnumType(CommunicationKind, {
  name: 'CommunicationKind',
  description: 'What a communication obligation of an incident or a maintenance window asks for, after the cadence of the priority\'s communication policy.',
  valuesConfig: {
    FIRST_PUBLIC_NOTICE: { description: 'The first PUBLIC status update after the incident opened (location, affected channels and products, brief impact); met by a PUBLIC status update.' },
    PUBLIC_UPDATE: { description: 'The next client (PUBLIC) status update after the last one; met by a PUBLIC status update.' },
    INTERNAL_UPDATE: { description: "The incident team's next INTERNAL status update; met by an INTERNAL status update." },
    STATUS_PAGE_UPDATE: { description: 'The next update of the status page, which shows PUBLIC status updates; met by a PUBLIC status update.' },
    INCIDENT_CALL: { description: 'The next call of the incident team; met by recordIncidentCall.' },
    MAINTENANCE_UPDATE: { description: "The next status update of a maintenance window in progress (hourly by default), after its start or its last update; met by postMaintenanceUpdate. The window's automatic hourly notice does not meet it." },
  },
});
registerEnumType(CommunicationDueStage, {
  name: 'CommunicationDueStage',
  description: 'What just happened to a communication obligation.',
  valuesConfig: {
    SCHEDULED: { description: 'Planned, with the time it is due (for a countdown).' },
    MET: { description: 'The matching status update or call was posted.' },
    OVERDUE: { description: 'Its due time passed unmet: a reminder went to the incident owner, else whoever is on call for the service.' },
    ESCALATED: { description: "Still unmet after the policy's grace: the next step of the service's escalation policy was notified." },
    ENDED: { description: 'No longer asked for: the incident resolved, or its priority changed and the cadence was planned again.' },
  },
});
registerEnumType(StatusPageKind, {
  name: 'StatusPageKind',
  description: 'What a public status page shows.',
  valuesConfig: {
    SERVICES: { description: 'Our public services, the incidents published on them (those with a PUBLIC status update) and their maintenance; by default every public service.' },
    PROVIDERS: { description: 'External connectivity: the providers we depend on and the incidents their status pages opened (source PROVIDER); by default every public service a Statuspage integration feeds.' },
  },
});
registerEnumType(ComponentState, {
  name: 'ComponentState',
  description: "A component's state on a status page, derived (never typed in): UNDER_MAINTENANCE while a window with an impact on it is in progress, else the worst impact of the open public incidents on it, else OPERATIONAL.",
  valuesConfig: {
    OPERATIONAL: { description: 'Working normally.' },
    DEGRADED_PERFORMANCE: { description: 'Working, slower or with reduced quality.' },
    PARTIAL_OUTAGE: { description: 'Partly unavailable.' },
    MAJOR_OUTAGE: { description: 'Unavailable.' },
    UNDER_MAINTENANCE: { description: 'A maintenance window with an impact on it is in progress.' },
  },
});
registerEnumType(ComponentImpact, {
  name: 'ComponentImpact',
  description: 'What an incident does to a component (a public service) it affects. Without any stated, an incident affects its own service by priority: P1 MAJOR_OUTAGE, P2 PARTIAL_OUTAGE, P3 and P4 DEGRADED_PERFORMANCE.',
  valuesConfig: {
    DEGRADED_PERFORMANCE: { description: 'Working, slower or with reduced quality.' },
    PARTIAL_OUTAGE: { description: 'Partly unavailable.' },
    MAJOR_OUTAGE: { description: 'Unavailable.' },
  },
});
registerEnumType(SubscriberChannel, {
  name: 'SubscriberChannel',
  description: 'How a status page subscriber is told.',
  valuesConfig: {
    EMAIL: { description: 'E-mail, after the address confirmed the subscription (double opt-in).' },
    SLACK: { description: 'A Slack incoming webhook.' },
    WEBHOOK: { description: "An HTTP POST in Statuspage's webhook format, signed with the subscriber's secret." },
  },
});
registerEnumType(StatusSubscriberState, {
  name: 'StatusSubscriberState',
  description: 'Where a status page subscriber stands.',
  valuesConfig: {
    PENDING: { description: 'An e-mail address that has not followed its confirmation link yet (double opt-in); told nothing until it does. Its link may have expired (see confirmExpiresAt).' },
    ACTIVE: { description: 'Confirmed (Slack and webhook subscribers are at once): told about what it subscribed to.' },
    UNSUBSCRIBED: { description: 'Followed an unsubscribe link: told nothing more. The address may subscribe again, as a new subscriber.' },
  },
});

registerEnumType(ReviewStatus, {
  name: 'ReviewStatus',
  description: "An Incident Record File's lifecycle: DRAFT → IN_REVIEW → APPROVED (reopening goes back to DRAFT).",
  valuesConfig: {
    DRAFT: { description: 'Being written: drafted from what the incident recorded, then edited.' },
    IN_REVIEW: { description: 'Submitted for approval; still editable.' },
    APPROVED: { description: 'Approved: read-only unless reopened; the incident is REVIEWED.' },
  },
});
registerEnumType(ReviewOrigin, {
  name: 'ReviewOrigin',
  description: 'Where the incident originated, which decides what the follow-up waits for.',
  valuesConfig: {
    INTERNAL: { description: 'In our own platform: an RCA document is due.' },
    EXTERNAL: { description: 'At a provider or integrated tool: the approved IRF is what is due.' },
  },
});
registerEnumType(DetectionSource, {
  name: 'DetectionSource',
  description: 'How an incident was detected.',
  valuesConfig: {
    MONITORING: { description: 'Monitoring alerts.' },
    INTERNAL: { description: 'Someone inside the organisation noticed.' },
    CUSTOMER: { description: 'A customer reported it.' },
    PROVIDER: { description: 'A provider announced it.' },
  },
});
registerEnumType(CauseKind, {
  name: 'CauseKind',
  description: "A cause's part in the incident.",
  valuesConfig: {
    ROOT: { description: 'The root cause.' },
    CONTRIBUTING: { description: 'A factor that affected the duration or the impact.' },
  },
});
registerEnumType(ReviewSection, {
  name: 'ReviewSection',
  description: 'A section of an Incident Record File.',
  valuesConfig: {
    SUMMARY: { description: 'What happened, in short (required for approval).' },
    TIMELINE: { description: "The incident's events with key events pinned, noise hidden and entries added afterwards." },
    DETECTION: { description: 'How and when it was detected: source and impact start (required), notes; the timings are computed.' },
    MITIGATION: { description: 'What was done, with each mitigation step and its outcome, and what would have mitigated faster (required).' },
    CAUSES: { description: 'The root cause and contributing factors, each with a category (a root cause is required).' },
    IMPACT: { description: 'Customers, products/interfaces, channels, locations, a description (required) and the computed downtime per component.' },
    PREVENTIVE_ACTIONS: { description: 'The preventive tasks, or a note why none are needed (one or the other is required).' },
    LESSONS: { description: 'What went well, what went wrong, where we were lucky.' },
    PARTICIPANT: { description: "A participant's own written review." },
  },
});
registerEnumType(ReviewDocument, {
  name: 'ReviewDocument',
  description: 'Which document a review edit is about.',
  valuesConfig: {
    IRF: { description: 'The Incident Record File.' },
    RCA: { description: 'The Root Cause Analysis document.' },
  },
});
registerEnumType(ReviewEditAction, {
  name: 'ReviewEditAction',
  description: 'What a recorded review edit did.',
  valuesConfig: {
    OPENED: { description: 'The IRF was opened (drafted).' },
    EDITED: { description: 'A section was changed.' },
    SUBMITTED: { description: 'Submitted for review.' },
    APPROVED: { description: 'The IRF was approved.' },
    REOPENED: { description: 'An approved IRF was reopened.' },
    GENERATED: { description: 'The RCA was generated from the IRF.' },
    PUBLISHED: { description: 'The RCA was published as a new version.' },
  },
});
registerEnumType(RcaStatus, {
  name: 'RcaStatus',
  description: "An RCA document's lifecycle: DRAFT → IN_REVIEW → PUBLISHED; an edit after publishing starts the next version's DRAFT.",
  valuesConfig: {
    DRAFT: { description: 'Being written.' },
    IN_REVIEW: { description: 'Submitted; waiting to be published.' },
    PUBLISHED: { description: 'Published: its content is frozen as a version.' },
  },
});
registerEnumType(SectionVisibility, {
  name: 'SectionVisibility',
  description: 'Who may read an RCA section.',
  valuesConfig: {
    PUBLIC: { description: 'Shown on the public RCA view linked from the status page.' },
    INTERNAL: { description: 'Shown only through the API and the authenticated printable view; on no public surface.' },
  },
});
registerEnumType(ReviewReminderStage, {
  name: 'ReviewReminderStage',
  description: 'What the follow-up job decided on a day.',
  valuesConfig: {
    REMINDER: { description: 'A status reminder to the incident owner.' },
    ESCALATION: { description: 'Overdue: escalated to the next escalation step or the configured reviewer.' },
  },
});
registerEnumType(TaskKind, {
  name: 'TaskKind',
  description: 'Why a task exists.',
  valuesConfig: {
    LONG_TERM_FIX: { description: 'The long-term fix a mitigation step names (the temporary mitigation holds until it is done).' },
    PREVENTIVE: { description: 'A preventive action, from the review or created by hand.' },
  },
});
registerEnumType(RcaSectionChangeKind, {
  name: 'RcaSectionChangeKind',
  description: 'How a section differs between two RCA versions.',
  valuesConfig: {
    ADDED: { description: 'Only the later version has it.' },
    REMOVED: { description: 'Only the earlier version has it.' },
    CHANGED: { description: 'Both have it; its title, body, visibility or position differ.' },
  },
});
registerEnumType(MetricGroup, {
  name: 'MetricGroup',
  description: 'What incidentMetrics groups by; combinable. Time buckets are the periods the incidents opened in, in the asked zone (UTC by default).',
  valuesConfig: {
    SERVICE: { description: "The incident's service." },
    PRIORITY: { description: "The incident's priority now (every priority is listed, empty ones with zeros)." },
    SOURCE: { description: 'Where the incident came from (every source is listed).' },
    INTEGRATION: { description: 'The integration whose alert opened it; null for incidents declared by hand.' },
    DAY: { description: 'The local day it opened (23 or 25 hours on DST changes).' },
    WEEK: { description: 'The local ISO week (from Monday 00:00) it opened.' },
    MONTH: { description: 'The local calendar month it opened.' },
  },
});
registerEnumType(IntegrationDeliveryChannel, {
  name: 'IntegrationDeliveryChannel',
  description: 'Which way in a delivery came.',
  valuesConfig: {
    WEBHOOK: { description: 'POST /webhooks/<integration id>.' },
    PAGERDUTY_EVENTS: { description: 'The drop-in PagerDuty Events API v2 (POST /v2/enqueue, /v2/change/enqueue).' },
    OPSGENIE: { description: 'The drop-in Opsgenie Alert API (POST /v2/alerts…).' },
    EMAIL: { description: 'A mail to the SMTP listener; the status code is the SMTP reply code.' },
  },
});
registerEnumType(IntegrationDeliveryOutcome, {
  name: 'IntegrationDeliveryOutcome',
  description: 'What became of a delivery.',
  valuesConfig: {
    ACCEPTED: { description: 'Taken in and committed (202, or SMTP 250).' },
    DUPLICATE: { description: "Accepted, but a retry of a delivery id already taken in (Twilio's MessageSid): nothing was applied again." },
    REJECTED: { description: 'Refused for what it carried or for the integration being disabled (400, 403, 413, 415, 422; SMTP 552, 554): kept as a dead letter.' },
    RATE_LIMITED: { description: "Over the integration's intake limit (429 with Retry-After; SMTP 450)." },
    UNAUTHORIZED: { description: 'Named this integration without its secret (401) or with a bad vendor signature; a sample of them is logged.' },
    FAILED: { description: 'Our fault, to be retried by the sender: the database was unavailable (503 with Retry-After; SMTP 451).' },
  },
});
