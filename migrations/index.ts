import type { MigrationInterface } from 'typeorm';
import { Foundation1764000000000 } from './1764000000000-Foundation';
import { Ingestion1764000100000 } from './1764000100000-Ingestion';
import { Schedules1764000200000 } from './1764000200000-Schedules';
import { Escalation1764000300000 } from './1764000300000-Escalation';
import { ApiTokenExpiry1796141000000 } from './1796141000000-ApiTokenExpiry';
import { NotificationDueAt1796142000000 } from './1796142000000-NotificationDueAt';
import { BoundedDeadLetters1796143000000 } from './1796143000000-BoundedDeadLetters';
import { WebhookReceipts1796144000000 } from './1796144000000-WebhookReceipts';
import { ChangeLog1796145000000 } from './1796145000000-ChangeLog';
import { UnattachedAlertIndex1796145200000 } from './1796145200000-UnattachedAlertIndex';
import { NotificationDueAtForPreviousRelease1796146000000 } from './1796146000000-NotificationDueAtForPreviousRelease';
import { AuditLog1796147000000 } from './1796147000000-AuditLog';
import { IncidentTitleSearch1796148000000 } from './1796148000000-IncidentTitleSearch';
import { MaintenanceWindows1796150000000 } from './1796150000000-MaintenanceWindows';
import { CommunicationCadence1796151000000 } from './1796151000000-CommunicationCadence';
import { ScheduleHandoffs1796152000000 } from './1796152000000-ScheduleHandoffs';
import { MaintenanceCadence1796153000000 } from './1796153000000-MaintenanceCadence';
import { MaintenanceRecurrence1796154000000 } from './1796154000000-MaintenanceRecurrence';
import { StatusPages1796155000000 } from './1796155000000-StatusPages';
import { PostIncidentReview1796156000000 } from './1796156000000-PostIncidentReview';
import { RcaPublicId1796156300000 } from './1796156300000-RcaPublicId';
import { MoreVendors1796157000000 } from './1796157000000-MoreVendors';
import { VendorApis1796157100000 } from './1796157100000-VendorApis';
import { SuppressedAlertIndex1796157300000 } from './1796157300000-SuppressedAlertIndex';
import { IntegrationDeliveryLog1796157400000 } from './1796157400000-IntegrationDeliveryLog';
import { StatusFeeds1796157500000 } from './1796157500000-StatusFeeds';
import { IncidentMetricFacts1796157600000 } from './1796157600000-IncidentMetricFacts';
import { PersonWorkingHours1796157700000 } from './1796157700000-PersonWorkingHours';
import { UnconfirmedSubscriberIndex1796157800000 } from './1796157800000-UnconfirmedSubscriberIndex';

/** Every migration, in order. Landed migrations are never edited; add a new one. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  Foundation1764000000000,
  Ingestion1764000100000,
  Schedules1764000200000,
  Escalation1764000300000,
  ApiTokenExpiry1796141000000,
  NotificationDueAt1796142000000,
  BoundedDeadLetters1796143000000,
  WebhookReceipts1796144000000,
  ChangeLog1796145000000,
  UnattachedAlertIndex1796145200000,
  NotificationDueAtForPreviousRelease1796146000000,
  AuditLog1796147000000,
  IncidentTitleSearch1796148000000,
  MaintenanceWindows1796150000000,
  CommunicationCadence1796151000000,
  ScheduleHandoffs1796152000000,
  MaintenanceCadence1796153000000,
  MaintenanceRecurrence1796154000000,
  StatusPages1796155000000,
  PostIncidentReview1796156000000,
  RcaPublicId1796156300000,
  MoreVendors1796157000000,
  VendorApis1796157100000,
  SuppressedAlertIndex1796157300000,
  IntegrationDeliveryLog1796157400000,
  StatusFeeds1796157500000,
  IncidentMetricFacts1796157600000,
  PersonWorkingHours1796157700000,
  UnconfirmedSubscriberIndex1796157800000,
];
