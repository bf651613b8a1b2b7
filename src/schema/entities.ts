import { Alert } from './alert.entity';
import { CauseCategory } from './cause-category.entity';
import { IncidentReview } from './incident-review.entity';
import { ApiToken } from './api-token.entity';
import { ContactMethod, NotificationRule } from './contact-method.entity';
import { EscalationPolicy } from './escalation-policy.entity';
import { IncidentEscalation, Notification } from './notification.entity';
import { DeadLetter } from './dead-letter.entity';
import { Integration } from './integration.entity';
import { Incident } from './incident.entity';
import { MaintenanceRecurrence } from './maintenance-recurrence.entity';
import { MaintenanceEvent, MaintenanceServiceImpact, MaintenanceWindow } from './maintenance-window.entity';
import { MitigationStep } from './mitigation-step.entity';
import { Person } from './person.entity';
import { RcaDocument, RcaSection, RcaVersion } from './rca.entity';
import { Schedule, ScheduleLayer, ScheduleOverride } from './schedule.entity';
import { Service } from './service.entity';
import { StatusPage } from './status-page.entity';
import { StatusSubscriber } from './status-subscriber.entity';
import { StatusUpdate } from './status-update.entity';
import { Task } from './task.entity';
import { Team } from './team.entity';
import { TimelineEvent } from './timeline-event.entity';

/** Every TypeORM entity the data source knows. */
export const ENTITIES = [
  ContactMethod,
  NotificationRule,
  Team,
  EscalationPolicy,
  IncidentEscalation,
  Notification,
  Alert,
  MaintenanceWindow,
  MaintenanceServiceImpact,
  MaintenanceEvent,
  MaintenanceRecurrence,
  StatusPage,
  StatusSubscriber,
  // post-incident review (#14)
  IncidentReview,
  CauseCategory,
  RcaDocument,
  RcaSection,
  RcaVersion,
  ApiToken, DeadLetter, Integration, Incident, MitigationStep, Person, Schedule, ScheduleLayer, ScheduleOverride, Service, StatusUpdate, Task, TimelineEvent];
