import { Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { AuditEntry, AuditLogFilter } from '../schema/audit-entry.entity';
import { toConnection, type Connection } from '../schema/connection';
import { AuditEntryConnection } from '../schema/connections';
import { Role } from '../schema/enums';
import { Person } from '../schema/person.entity';
import { ConnectionArgs } from './connection-args';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';

@ArgsType()
class AuditLogArgs extends ConnectionArgs {
  @Field(() => AuditLogFilter, { nullable: true, description: 'Which entries to list; without it, all of them.' })
  filter?: AuditLogFilter | null;
}

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Authorized(Role.ADMIN)
  @Query(() => AuditEntryConnection, {
    description:
      'Configuration changes (schedules, escalation policies, services, people, teams, integrations, API tokens, dead-letter replays), newest first. ADMIN only. Incident actions are on the incident timeline instead. BAD_USER_INPUT naming the field for a malformed id, cursor or a filter.to before filter.from.',
    complexity: pageComplexity,
  })
  async auditLog(@Ctx() { services }: GraphQLContext, @Args() args: AuditLogArgs): Promise<Connection<AuditEntry>> {
    return toConnection(AuditEntryConnection, await services.auditLog.list(args.filter ?? {}, args), args);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The person linked to the token that made the change, if any.' })
  async actorPerson(@Root() entry: AuditEntry, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return entry.actorPersonId ? loaders.person.load(entry.actorPersonId) : null;
  }
}
