import { StatusPage } from './status-page.entity';
import { Field, ObjectType } from 'type-graphql';
import { ApiToken } from './api-token.entity';
import { Role } from './enums';
import { Incident } from './incident.entity';
import { MaintenanceRecurrence } from './maintenance-recurrence.entity';
import { MaintenanceCalendar, MaintenanceEvent, MaintenanceWindow } from './maintenance-window.entity';
import { MitigationStep } from './mitigation-step.entity';
import { Person } from './person.entity';
import { Service } from './service.entity';
import { StatusUpdate } from './status-update.entity';
import { TimelineEvent } from './timeline-event.entity';

@ObjectType({ description: 'The incident as the mutation left it.' })
export class IncidentPayload {
  @Field(() => Incident, { description: 'The incident, after the change.' })
  incident!: Incident;
}

@ObjectType({ description: 'The note added.' })
export class TimelineNotePayload {
  @Field(() => TimelineEvent, { description: 'The NOTE_ADDED event on the timeline.' })
  timelineEvent!: TimelineEvent;
}

@ObjectType({ description: 'The status update posted.' })
export class StatusUpdatePayload {
  @Field(() => StatusUpdate, { description: 'The status update, as stored.' })
  statusUpdate!: StatusUpdate;
}

@ObjectType({ description: 'The mitigation step as the mutation left it.' })
export class MitigationStepPayload {
  @Field(() => MitigationStep, { description: 'The mitigation step, after the change.' })
  mitigationStep!: MitigationStep;
}

@ObjectType({ description: 'The service as the mutation left it.' })
export class ServicePayload {
  @Field(() => Service, { description: 'The service, after the change.' })
  service!: Service;
}

@ObjectType({ description: 'The person as the mutation left it.' })
export class PersonPayload {
  @Field(() => Person, { description: 'The person, after the change.' })
  person!: Person;
}

@ObjectType({ description: 'The new token and its secret.' })
export class CreateApiTokenPayload {
  @Field(() => ApiToken, { description: 'The token created (without its secret).' })
  token!: ApiToken;

  @Field({ description: 'Shown once: store it now.' })
  secret!: string;
}

@ObjectType({ description: 'The token as the mutation left it.' })
export class ApiTokenPayload {
  @Field(() => ApiToken, { description: 'The token, after the change.' })
  token!: ApiToken;
}

@ObjectType({ description: 'Who the caller is.' })
export class Viewer {
  @Field(() => String, { nullable: true, description: 'The API token id.' })
  tokenId!: string | null;

  @Field({ description: "The token's name." })
  name!: string;

  @Field(() => Role, { description: "The token's role, which decides what the caller may do." })
  role!: Role;

  @Field(() => Person, { nullable: true, description: 'The person the token acts for; null for a token of no person.' })
  person!: Person | null;
}

@ObjectType({ description: 'The maintenance window as the mutation left it.' })
export class MaintenanceWindowPayload {
  @Field(() => MaintenanceWindow, { description: 'The window, after the change.' })
  maintenanceWindow!: MaintenanceWindow;
}

@ObjectType({ description: 'The update posted on a maintenance window.' })
export class MaintenanceUpdatePayload {
  @Field(() => MaintenanceWindow, { description: 'The window; its communication shows the obligation met and the next one.' })
  maintenanceWindow!: MaintenanceWindow;

  @Field(() => MaintenanceEvent, { description: "The update, as the UPDATE_POSTED event on the window's timeline (its text in data.body)." })
  update!: MaintenanceEvent;
}

@ObjectType({ description: 'The maintenance calendar as the mutation left it.' })
export class MaintenanceCalendarPayload {
  @Field(() => MaintenanceCalendar, { description: 'The calendar new windows are classified with.' })
  calendar!: MaintenanceCalendar;
}

@ObjectType({ description: 'The maintenance rule as the mutation left it.' })
export class MaintenanceRecurrencePayload {
  @Field(() => MaintenanceRecurrence, { description: 'The rule, after the change.' })
  maintenanceRecurrence!: MaintenanceRecurrence;
}

@ObjectType({ description: 'The status page as the mutation left it.' })
export class StatusPagePayload {
  @Field(() => StatusPage, { description: 'The page, after the change.' })
  statusPage!: StatusPage;
}
