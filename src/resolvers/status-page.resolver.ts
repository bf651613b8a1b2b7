import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { IncidentComponentImpact } from '../schema/component-impact.type';
import { Role } from '../schema/enums';
import { StatusPagePayload } from '../schema/payloads';
import { Service } from '../schema/service.entity';
import { StatusPage, StatusPageComponent } from '../schema/status-page.entity';
import { CreateStatusPageInput, UpdateStatusPageInput } from '../schema/status-page.input';
import type { GraphQLContext } from './context';

const INPUT = 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. slug, components[2].serviceId).';

@Resolver(() => StatusPage)
export class StatusPageResolver {
  @Authorized(Role.VIEWER)
  @Query(() => [StatusPage], { description: 'The public status pages by slug, at most 100; `main` and `external` exist from the first start. Role: VIEWER.' })
  statusPages(@Ctx() { services }: GraphQLContext): Promise<StatusPage[]> {
    return services.statusPages.list();
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => StatusPagePayload, {
    description: 'A new public status page. Role: ADMIN. BAD_USER_INPUT for a malformed slug, an unknown zone, or a component that is not an existing public service; CONFLICT when the slug is taken.',
  })
  async createStatusPage(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: INPUT }) input: CreateStatusPageInput): Promise<StatusPagePayload> {
    return { statusPage: await services.statusPages.create(input, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => StatusPagePayload, {
    description: 'Changes the fields given; the others stay; components given replace the list. Role: ADMIN. NOT_FOUND for an unknown id; BAD_USER_INPUT as for createStatusPage (and for renaming the main page); CONFLICT when the new slug is taken.',
  })
  async updateStatusPage(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: INPUT }) { id, ...patch }: UpdateStatusPageInput): Promise<StatusPagePayload> {
    return { statusPage: await services.statusPages.update(id, patch, audit) };
  }

  @FieldResolver(() => [StatusPageComponent], { description: 'The components the page shows, in order: those an admin chose, or by default every public service (PROVIDERS: those a Statuspage integration feeds).' })
  components(@Root() page: StatusPage, @Ctx() { services }: GraphQLContext): Promise<StatusPageComponent[]> {
    return services.statusPages.components(page.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether an admin chose the components; false while the page shows its default set.' })
  configured(@Root() page: StatusPage, @Ctx() { services }: GraphQLContext): Promise<boolean> {
    return services.statusPages.isConfigured(page.id);
  }

  @FieldResolver(() => String, { description: 'Where the public page is served (HTML); the main page also at /status.' })
  url(@Root() page: StatusPage, @Ctx() { services }: GraphQLContext): string {
    return services.statusPages.urlOf(page);
  }
}

@Resolver(() => StatusPageComponent)
export class StatusPageComponentResolver {
  @FieldResolver(() => Service, { description: 'The public service shown.' })
  async service(@Root() component: StatusPageComponent, @Ctx() { loaders }: GraphQLContext): Promise<Service> {
    return (await loaders.service.load(component.serviceId)) as Service;
  }
}

@Resolver(() => IncidentComponentImpact)
export class IncidentComponentImpactResolver {
  @FieldResolver(() => Service, { description: 'The affected service.' })
  async service(@Root() impact: IncidentComponentImpact, @Ctx() { loaders }: GraphQLContext): Promise<Service> {
    return (await loaders.service.load(impact.serviceId)) as Service;
  }
}
