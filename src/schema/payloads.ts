import { Field, ObjectType } from 'type-graphql';
import { ApiToken } from './api-token.entity';
import { Role } from './enums';
import { Incident } from './incident.entity';
import { MitigationStep } from './mitigation-step.entity';
import { Person } from './person.entity';
import { Service } from './service.entity';
import { StatusUpdate } from './status-update.entity';
import { TimelineEvent } from './timeline-event.entity';

@ObjectType()
export class IncidentPayload {
  @Field(() => Incident)
  incident!: Incident;
}

@ObjectType()
export class TimelineNotePayload {
  @Field(() => TimelineEvent)
  timelineEvent!: TimelineEvent;
}

@ObjectType()
export class StatusUpdatePayload {
  @Field(() => StatusUpdate)
  statusUpdate!: StatusUpdate;
}

@ObjectType()
export class MitigationStepPayload {
  @Field(() => MitigationStep)
  mitigationStep!: MitigationStep;
}

@ObjectType()
export class ServicePayload {
  @Field(() => Service)
  service!: Service;
}

@ObjectType()
export class PersonPayload {
  @Field(() => Person)
  person!: Person;
}

@ObjectType()
export class CreateApiTokenPayload {
  @Field(() => ApiToken)
  token!: ApiToken;

  @Field({ description: 'Shown once: store it now.' })
  secret!: string;
}

@ObjectType()
export class ApiTokenPayload {
  @Field(() => ApiToken)
  token!: ApiToken;
}

@ObjectType({ description: 'Who the caller is.' })
export class Viewer {
  @Field(() => String, { nullable: true, description: 'The API token id.' })
  tokenId!: string | null;

  @Field()
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => Person, { nullable: true })
  person!: Person | null;
}
