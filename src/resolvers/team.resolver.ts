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
  @Field(() => TeamFilter, { nullable: true })
  filter?: TeamFilter | null;
}

@Resolver(() => Team)
export class TeamResolver {
  @Authorized(Role.VIEWER)
  @Query(() => TeamConnection, { description: 'Teams by name (then id).', complexity: pageComplexity })
  async teams(@Ctx() { services }: GraphQLContext, @Args() args: TeamsArgs): Promise<Connection<Team>> {
    return toConnection(TeamConnection, await services.teams.list(args.filter ?? {}, args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => Team)
  team(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Team> {
    return services.teams.get(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => TeamPayload)
  async createTeam(@Ctx() { services }: GraphQLContext, @Arg('input') input: CreateTeamInput): Promise<TeamPayload> {
    return { team: await services.teams.create(input) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => TeamPayload)
  async updateTeam(@Ctx() { services }: GraphQLContext, @Arg('input') { id, ...patch }: UpdateTeamInput): Promise<TeamPayload> {
    return { team: await services.teams.update(id, patch) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => RemovedPayload)
  async deleteTeam(@Ctx() { services }: GraphQLContext, @Arg('input') input: RemoveInput): Promise<RemovedPayload> {
    await services.teams.remove(input.id);
    return { removed: true };
  }

  @FieldResolver(() => [Person], { description: 'By name.' })
  async members(@Root() team: Team, @Ctx() { loaders }: GraphQLContext): Promise<Person[]> {
    const ids = await loaders.teamMembers.load(team.id);
    return (await loaders.person.loadMany(ids)).filter((person): person is Person => person instanceof Person);
  }
}
