import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CommunicationDueStage, CommunicationKind, Priority } from './enums';

@ObjectType({ description: 'How often an incident of one priority must be communicated, in minutes; a null interval asks for nothing of that kind.' })
export class CommunicationPolicy {
  @Field(() => ID, { description: "The policy's id (a UUID); the audit log names it." })
  id!: string;

  @Field(() => Priority, { description: 'The priority it applies to; there is one policy per priority.' })
  priority!: Priority;

  @Field(() => Int, { nullable: true, description: 'The first PUBLIC status update is due this long after the incident opened; null: after publicUpdateMinutes, or never when that is null too.' })
  firstPublicNoticeMinutes!: number | null;

  @Field(() => Int, { nullable: true, description: 'The next client (PUBLIC) update is due this long after the last one; null: none after the first notice.' })
  publicUpdateMinutes!: number | null;

  @Field(() => Int, { nullable: true, description: "The incident team's next INTERNAL status update is due this long after the opening, then after the last one; null: none." })
  internalUpdateMinutes!: number | null;

  @Field(() => Int, { nullable: true, description: 'The status page (which shows PUBLIC updates) must be updated this often; null: no such obligation.' })
  statusPageUpdateMinutes!: number | null;

  @Field(() => Int, { nullable: true, description: 'The incident team holds a call (recordIncidentCall) this often; null: no calls asked for.' })
  callMinutes!: number | null;

  @Field(() => Int, { nullable: true, description: 'A maintenance window in progress whose incidentPriority is this one posts an update (postMaintenanceUpdate) this often, counted from its start, then from its last update; null: no such obligation.' })
  maintenanceUpdateMinutes!: number | null;

  @Field(() => Int, { description: 'An obligation still unmet this long after its due time (and its reminder) escalates to the next step of the service\'s escalation policy.' })
  escalationGraceMinutes!: number;

  @Field({ description: 'When the policy last changed (UTC). Obligations already planned keep the times they were planned with.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A call of the incident team, recorded with who attended and what was said.' })
export class IncidentCall {
  @Field(() => ID, { description: "The call's id (a UUID)." })
  id!: string;

  incidentId!: string;

  @Field(() => [String], { description: 'Who attended, as recorded (names; people outside the catalog too).' })
  attendees!: string[];

  @Field(() => String, { nullable: true, description: 'What was said or decided; null when nothing was noted.' })
  notes!: string | null;

  @Field({ description: 'The name of the token or person who recorded it.' })
  recordedBy!: string;

  @Field({ description: 'When it was recorded (UTC).' })
  heldAt!: Date;
}

@ObjectType({ description: 'One communication owed: a status update or a call due by a time, with when it was met and what was done while it was not.' })
export class CommunicationObligation {
  @Field(() => ID, { description: "The obligation's id (a UUID)." })
  id!: string;

  /** The incident it belongs to; null for a maintenance window's. */
  incidentId!: string | null;

  /** The maintenance window it belongs to; null for an incident's. */
  maintenanceWindowId!: string | null;

  @Field(() => CommunicationKind, { description: 'What is owed.' })
  kind!: CommunicationKind;

  @Field({ description: 'When it is due (UTC).' })
  dueAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the matching status update, call or maintenance update met it; null while it is not met.' })
  metAt!: Date | null;

  @Field(() => Boolean, { description: 'Due and neither met nor ended, at the time of the query.' })
  overdue!: boolean;

  @Field(() => ID, { nullable: true, description: 'The status update that met it; null unless a status update did.' })
  metByStatusUpdateId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The recorded call that met it; null unless a call did.' })
  metByCallId!: string | null;

  @Field(() => ID, { nullable: true, description: "The maintenance window update that met it (the id of postMaintenanceUpdate's update, an UPDATE_POSTED event of the window's timeline); null unless one did." })
  metByMaintenanceUpdateId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it stopped being owed unmet (the incident resolved, a priority change planned it again, or the maintenance window completed or was cancelled); null otherwise.' })
  endedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it ended, e.g. "incident resolved"; null unless it ended.' })
  endedReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the reminder went out (once, at the due time); null while none did.' })
  remindedAt!: Date | null;

  @Field({ description: 'When it escalates if still unmet: the due time plus the grace of the policy it was planned with.' })
  escalateAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it escalated (once, after the grace); null while it did not.' })
  escalatedAt!: Date | null;
}

@ObjectType({ description: "Where the communication cadence of an incident (or of a maintenance window: Incident.communication and MaintenanceWindow.communication share this shape) stands." })
export class IncidentCommunication {
  @Field(() => [CommunicationObligation], { description: 'Its obligations by due time, oldest first: at most the latest 100, met, open and ended.' })
  obligations!: CommunicationObligation[];

  @Field(() => Date, { nullable: true, description: 'The earliest due time of the obligations still open (in the past when one is overdue); null when none is open.' })
  nextDueAt!: Date | null;

  @Field(() => Int, { description: 'How many open obligations are past their due time.' })
  overdueCount!: number;
}

@ObjectType({ description: 'Something happened to a communication obligation.' })
export class CommunicationDue {
  @Field(() => CommunicationDueStage, { description: 'What happened.' })
  stage!: CommunicationDueStage;

  @Field(() => CommunicationObligation, { description: 'The obligation, as it is when the event is sent.' })
  obligation!: CommunicationObligation;
}
