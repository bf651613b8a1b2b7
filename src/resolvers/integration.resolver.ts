import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { IntegrationConnection } from '../schema/connections';
import { Role } from '../schema/enums';
import { IntegrationFilter } from '../schema/list-filters.input';
import { CreateIntegrationInput, RotateIntegrationSecretInput, UpdateIntegrationInput } from '../schema/ingest.input';
import { IntegrationPayload, IntegrationSecretPayload } from '../schema/ingest.payloads';
import { Integration } from '../schema/integration.entity';
import { Service } from '../schema/service.entity';
import { ConnectionArgs } from './connection-args';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';

@ArgsType()
class IntegrationsArgs extends ConnectionArgs {
  @Field(() => IntegrationFilter, { nullable: true })
  filter?: IntegrationFilter | null;
}

@Resolver(() => Integration)
export class IntegrationResolver {
  @Authorized(Role.ADMIN)
  @Query(() => IntegrationConnection, { description: 'Integrations by name (then id).', complexity: pageComplexity })
  async integrations(@Ctx() { services }: GraphQLContext, @Args() args: IntegrationsArgs): Promise<Connection<Integration>> {
    return toConnection(IntegrationConnection, await services.integrations.list(args.filter ?? {}, args), args);
  }

  @Authorized(Role.ADMIN)
  @Query(() => Integration)
  integration(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Integration> {
    return services.integrations.get(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => IntegrationSecretPayload, { description: 'Returns the webhook URL and its secret (shown once).' })
  createIntegration(@Ctx() { services }: GraphQLContext, @Arg('input') input: CreateIntegrationInput): Promise<IntegrationSecretPayload> {
    return services.integrations.create(input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => IntegrationPayload, { description: 'Rename, enable/disable, change options or the vendor credential.' })
  async updateIntegration(@Ctx() { services }: GraphQLContext, @Arg('input') { id, ...patch }: UpdateIntegrationInput): Promise<IntegrationPayload> {
    return { integration: await services.integrations.update(id, patch) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => IntegrationSecretPayload, { description: 'A new secret; the old one keeps working for the grace period.' })
  rotateIntegrationSecret(@Ctx() { services }: GraphQLContext, @Arg('input') input: RotateIntegrationSecretInput): Promise<IntegrationSecretPayload> {
    return services.integrations.rotateSecret(input.id, input.gracePeriodSeconds ?? undefined);
  }

  @FieldResolver(() => String, { description: 'POST vendor webhooks here.' })
  webhookUrl(@Root() integration: Integration, @Ctx() { services }: GraphQLContext): string {
    return `${services.publicBaseUrl}/webhooks/${integration.id}`;
  }

  @FieldResolver(() => Service)
  async service(@Root() integration: Integration, @Ctx() { loaders }: GraphQLContext): Promise<Service | null> {
    return loaders.service.load(integration.serviceId);
  }
}
