import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ChangeEvent } from '../schema/change-event.type';
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
  @Field(() => ServiceFilter, { nullable: true, description: 'Only services matching every field given; all services without it.' })
  filter?: ServiceFilter | null;
}

@ArgsType()
class PeopleArgs extends ConnectionArgs {
  @Field(() => PersonFilter, { nullable: true, description: 'Only people matching every field given; everyone without it.' })
  filter?: PersonFilter | null;
}

@Resolver(() => Service)
export class ServiceResolver {
  @Authorized(Role.VIEWER)
  @Query(() => ServiceConnection, { description: 'Services by name (then id), a page at a time. Role: VIEWER.', complexity: pageComplexity })
  async services(@Ctx() { services }: GraphQLContext, @Args() args: ServicesArgs): Promise<Connection<Service>> {
    return toConnection(ServiceConnection, await services.catalog.listServices(args.filter ?? {}, args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => Service, { description: 'One service by id. Role: VIEWER. BAD_USER_INPUT for an id that is not a UUID; NOT_FOUND when no service has it.' })
  service(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID, { description: "The service's id (a UUID)." }) id: string): Promise<Service> {
    return services.catalog.getService(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ServicePayload, {
    description: 'A new service incidents and alerts are filed under. Role: ADMIN. BAD_USER_INPUT for an empty name, a malformed slug or an ownerId naming nobody; CONFLICT when the slug is taken.',
  })
  async createService(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: CreateServiceInput): Promise<ServicePayload> {
    return { service: await services.catalog.createService(input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ServicePayload, {
    description: 'Changes the fields given; the others stay. Role: ADMIN. NOT_FOUND for an unknown id; BAD_USER_INPUT as for createService; CONFLICT when the new slug is taken.',
  })
  async updateService(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) { id, ...patch }: UpdateServiceInput): Promise<ServicePayload> {
    return { service: await services.catalog.updateService(id, patch, audit) };
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The person responsible for the service (step 2 of the usual escalation chain); null when none is set.' })
  async owner(@Root() service: Service, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return service.ownerId ? loaders.person.load(service.ownerId) : null;
  }

  @FieldResolver(() => [ChangeEvent], {
    description: "The service's most recent PagerDuty change events (POST /v2/change/enqueue with a GENERIC integration's key), newest first.",
    complexity: ({ args, childComplexity }: { args: { first?: number }; childComplexity: number }) => 1 + Math.min(100, Math.max(1, args.first ?? 20)) * childComplexity,
  })
  changeEvents(
    @Root() service: Service,
    @Ctx() { services }: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: 20, description: 'How many, 1 to 100.' }) first: number,
  ): Promise<ChangeEvent[]> {
    return services.changeEvents.recent(service.id, first);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Authorized(Role.VIEWER)
  @Query(() => PersonConnection, { description: 'People by name (then id), a page at a time. Role: VIEWER.', complexity: pageComplexity })
  async people(@Ctx() { services }: GraphQLContext, @Args() args: PeopleArgs): Promise<Connection<Person>> {
    return toConnection(PersonConnection, await services.catalog.listPeople(args.filter ?? {}, args), args);
  }

  @Authorized(Role.VIEWER)
  @Query(() => Person, { description: 'One person by id. Role: VIEWER. BAD_USER_INPUT for an id that is not a UUID; NOT_FOUND when nobody has it.' })
  person(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID, { description: "The person's id (a UUID)." }) id: string): Promise<Person> {
    return services.catalog.getPerson(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PersonPayload, {
    description:
      'A new person who can own services and incidents, be on call and be paged. Role: ADMIN. BAD_USER_INPUT for an empty name, an invalid e-mail, a phone not in E.164 or an unknown time zone; CONFLICT when the e-mail is taken.',
  })
  async createPerson(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: CreatePersonInput): Promise<PersonPayload> {
    return { person: await services.catalog.createPerson(input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PersonPayload, {
    description: 'Changes the fields given; the others stay. Role: ADMIN. NOT_FOUND for an unknown id; BAD_USER_INPUT as for createPerson; CONFLICT when the new e-mail is taken.',
  })
  async updatePerson(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) { id, ...patch }: UpdatePersonInput): Promise<PersonPayload> {
    return { person: await services.catalog.updatePerson(id, patch, audit) };
  }
}
