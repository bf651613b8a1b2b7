import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ActorType } from './enums';

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
}

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
  },
});

@ObjectType({ description: 'One configuration change: who made it, when, under which request, and the fields it changed.' })
export class AuditEntry {
  @Field(() => ID, { description: 'The entry itself.' })
  id!: string;

  @Field({ description: 'When the change was made (UTC).' })
  occurredAt!: Date;

  @Field(() => ActorType, { description: 'What kind of caller made the change: TOKEN for API calls, SYSTEM for seeds and scripts.' })
  actorType!: ActorType;

  @Field(() => ID, { nullable: true, description: 'The API token that made the change; null for the system.' })
  actorId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The person linked to that token, if any, at the time of the change.' })
  actorPersonId!: string | null;

  @Field({ description: "The actor's name at the time of the change (a token's name can change later)." })
  actorLabel!: string;

  @Field({ description: 'What was done, `<target>.<verb>`, e.g. `escalationPolicy.update`, `integration.rotateSecret`, `apiToken.revoke`.' })
  action!: string;

  @Field(() => AuditTargetType, { description: 'The kind of configuration changed.' })
  targetType!: AuditTargetType;

  @Field(() => ID, { description: 'The id of the changed row (of targetType).' })
  targetId!: string;

  @Field(() => GraphQLJSONObject, {
    description:
      'The changed fields only, as `{field: {before, after}}`; before is null on creation, after null on deletion. Secrets (integration secrets and credentials, token hashes, credentials in URLs) appear as "[redacted]".',
  })
  changes!: Record<string, { before: unknown; after: unknown }>;

  @Field(() => String, { nullable: true, description: 'The X-Request-Id of the request that made the change (also in the logs); null outside a request.' })
  requestId!: string | null;
}

@InputType({ description: 'Which audit entries to list; every field narrows the list.' })
export class AuditLogFilter {
  @Field(() => ID, { nullable: true, description: 'Changes made by this API token.' })
  actorId?: string | null;

  @Field(() => AuditTargetType, { nullable: true, description: 'Changes to this kind of configuration.' })
  targetType?: AuditTargetType | null;

  @Field(() => ID, { nullable: true, description: 'Changes to this row (usually with targetType).' })
  targetId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Changes at or after this instant (ISO-8601).' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Changes at or before this instant (ISO-8601); BAD_USER_INPUT naming filter.to when before from.' })
  to?: Date | null;
}
