import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ActorType, AuditTargetType } from './enums';

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
