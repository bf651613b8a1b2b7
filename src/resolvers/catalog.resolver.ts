import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CreatePersonInput, CreateServiceInput, UpdatePersonInput, UpdateServiceInput } from '../schema/catalog.input';
import { toConnection, type Connection } from '../schema/connection';
import { PersonConnection, ServiceConnection } from '../schema/connections';
import { Role } from '../schema/enums';
import { PersonFilter, ServiceFilter } from '../schema/list-filters.input';
import { PersonPayload, ServicePayload } from '../schema/payloads';
import { Person } from '../schema/person.entity';
import { Service } from '../schema/service.entity';
import { ConnectionArgs } from './connection-args';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';

@ArgsType()
class ServicesArgs extends ConnectionArgs {
  @Field(() => ServiceFilter, { nullable: true })
  filter?: ServiceFilter | null;
}

@ArgsType()
class PeopleArgs extends ConnectionArgs {
  @Field(() => PersonFilter, { nullable: true })
  filter?: PersonFilter | null;
}

@Resolver(() => Service)
export class ServiceResolver {
  @Authorized(Role.VIEWER)
  @Query(() => ServiceConnection, { description: 'Services by name (then id).', complexity: pageComplexity })
  async services(@Ctx() { services }: GraphQLContext, @Args() args: ServicesArgs): Promise<Connection<Service>> {
    return toConnection(ServiceConnection, await services.catalog.listServices(args.filter ?? {}, args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => Service)
  service(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Service> {
    return services.catalog.getService(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ServicePayload)
  async createService(@Ctx() { services }: GraphQLContext, @Arg('input') input: CreateServiceInput): Promise<ServicePayload> {
    return { service: await services.catalog.createService(input) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ServicePayload)
  async updateService(@Ctx() { services }: GraphQLContext, @Arg('input') { id, ...patch }: UpdateServiceInput): Promise<ServicePayload> {
    return { service: await services.catalog.updateService(id, patch) };
  }

  @FieldResolver(() => Person, { nullable: true })
  async owner(@Root() service: Service, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return service.ownerId ? loaders.person.load(service.ownerId) : null;
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Authorized(Role.VIEWER)
  @Query(() => PersonConnection, { description: 'People by name (then id).', complexity: pageComplexity })
  async people(@Ctx() { services }: GraphQLContext, @Args() args: PeopleArgs): Promise<Connection<Person>> {
    return toConnection(PersonConnection, await services.catalog.listPeople(args.filter ?? {}, args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => Person)
  person(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Person> {
    return services.catalog.getPerson(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PersonPayload)
  async createPerson(@Ctx() { services }: GraphQLContext, @Arg('input') input: CreatePersonInput): Promise<PersonPayload> {
    return { person: await services.catalog.createPerson(input) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PersonPayload)
  async updatePerson(@Ctx() { services }: GraphQLContext, @Arg('input') { id, ...patch }: UpdatePersonInput): Promise<PersonPayload> {
    return { person: await services.catalog.updatePerson(id, patch) };
  }
}
