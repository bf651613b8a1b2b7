import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { TeamConnection } from '../schema/connections';
import { Role } from '../schema/enums';
import { TeamFilter } from '../schema/list-filters.input';
import { RemoveInput } from '../schema/paging.input';
import { RemovedPayload } from '../schema/paging.payloads';
import { Person } from '../schema/person.entity';
import { Team } from '../schema/team.entity';
import { CreateTeamInput, TeamPayload, UpdateTeamInput } from '../schema/team.input';
import { ConnectionArgs } from './connection-args';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';

@ArgsType()
class TeamsArgs extends ConnectionArgs {
  @Field(() => TeamFilter, { nullable: true, description: 'Only teams matching every field given; all teams without it.' })
  filter?: TeamFilter | null;
}

@Resolver(() => Team)
export class TeamResolver {
  @Authorized(Role.VIEWER)
  @Query(() => TeamConnection, { description: 'Teams by name (then id), a page at a time. Role: VIEWER.', complexity: pageComplexity })
  async teams(@Ctx() { services }: GraphQLContext, @Args() args: TeamsArgs): Promise<Connection<Team>> {
    return toConnection(TeamConnection, await services.teams.list(args.filter ?? {}, args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => Team, { description: 'One team by id. Role: VIEWER. BAD_USER_INPUT for an id that is not a UUID; NOT_FOUND when no team has it.' })
  team(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID, { description: "The team's id (a UUID)." }) id: string): Promise<Team> {
    return services.teams.get(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => TeamPayload, {
    description: 'A new team of people an escalation step can page together. Role: ADMIN. BAD_USER_INPUT for an empty name, more than 500 members or a member that does not exist; CONFLICT when the name is taken.',
  })
  async createTeam(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: CreateTeamInput): Promise<TeamPayload> {
    return { team: await services.teams.create(input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => TeamPayload, {
    description: 'Renames a team, changes its description or replaces its members; fields not given stay. Role: ADMIN. NOT_FOUND for an unknown id; BAD_USER_INPUT and CONFLICT as for createTeam.',
  })
  async updateTeam(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) { id, ...patch }: UpdateTeamInput): Promise<TeamPayload> {
    return { team: await services.teams.update(id, patch, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => RemovedPayload, { description: 'Deletes a team and its memberships (the people stay). Role: ADMIN. NOT_FOUND for an unknown id.' })
  async deleteTeam(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: RemoveInput): Promise<RemovedPayload> {
    await services.teams.remove(input.id, audit);
    return { removed: true };
  }

  @FieldResolver(() => [Person], { description: 'The people in the team, by name.' })
  async members(@Root() team: Team, @Ctx() { loaders }: GraphQLContext): Promise<Person[]> {
    const ids = await loaders.teamMembers.load(team.id);
    return (await loaders.person.loadMany(ids)).filter((person): person is Person => person instanceof Person);
  }
}
