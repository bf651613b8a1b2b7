import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CommunicationPolicy, IncidentCall } from './communication.entity';
import { Priority } from './enums';

const INTERVAL = 'Minutes, 1 to 10,080 (a week); null asks for no obligation of this kind. Unchanged when not given.';

@InputType({ description: "Which priority's communication policy changes, and the intervals that change; fields not given stay." })
export class UpdateCommunicationPolicyInput {
  @Field(() => Priority, { description: 'The priority whose policy changes.' })
  priority!: Priority;

  @Field(() => Int, { nullable: true, description: `After the opening, until the first PUBLIC status update. ${INTERVAL}` })
  firstPublicNoticeMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: `Between client (PUBLIC) updates. ${INTERVAL}` })
  publicUpdateMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: `Between the incident team's INTERNAL updates. ${INTERVAL}` })
  internalUpdateMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: `Between status page updates (PUBLIC updates). ${INTERVAL}` })
  statusPageUpdateMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: `Between calls of the incident team. ${INTERVAL}` })
  callMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: `Between updates of a maintenance window in progress whose incidentPriority is this priority (postMaintenanceUpdate), from its start. ${INTERVAL}` })
  maintenanceUpdateMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Minutes from an unmet obligation\'s reminder to its escalation, 1 to 10,080; it cannot be null. Unchanged when not given.' })
  escalationGraceMinutes?: number | null;
}

@InputType({ description: 'A call of the incident team that was held.' })
export class RecordIncidentCallInput {
  @Field(() => ID, { description: 'The incident the call was about.' })
  incidentId!: string;

  @Field(() => [String], { description: 'Who attended: 1 to 100 names of at most 200 characters, trimmed, empty and repeated ones dropped.' })
  attendees!: string[];

  @Field(() => String, { nullable: true, description: 'What was said or decided, at most 20,000 characters.' })
  notes?: string | null;
}

@ObjectType({ description: 'The communication policy as the mutation left it.' })
export class CommunicationPolicyPayload {
  @Field(() => CommunicationPolicy, { description: 'The policy, after the change.' })
  communicationPolicy!: CommunicationPolicy;
}

@ObjectType({ description: 'The call recorded.' })
export class IncidentCallPayload {
  @Field(() => IncidentCall, { description: 'The call, as stored; it is on the incident\'s timeline too.' })
  incidentCall!: IncidentCall;
}
