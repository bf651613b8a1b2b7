import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CreatePersonInput, CreateServiceInput, UpdatePersonInput, UpdateServiceInput } from '../schema/catalog.input';
import { Role } from '../schema/enums';
import { PersonPayload, ServicePayload } from '../schema/payloads';
import { Person } from '../schema/person.entity';
import { Service } from '../schema/service.entity';
import type { GraphQLContext } from './context';

@Resolver(() => Service)
export class ServiceResolver {
  @Authorized(Role.VIEWER)
  @Query(() => [Service], { description: 'All services, by name.' })
  services(@Ctx() { services }: GraphQLContext): Promise<Service[]> {
    return services.catalog.listServices();
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
  @Query(() => [Person], { description: 'All people, by name.' })
  people(@Ctx() { services }: GraphQLContext): Promise<Person[]> {
    return services.catalog.listPeople();
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
