import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { IntegrationConnection, IntegrationDeliveryConnection } from '../schema/connections';
import { IntegrationDeliveryFilter, IntegrationFilter } from '../schema/list-filters.input';
import { CreateIntegrationInput, RotateIntegrationSecretInput, UpdateIntegrationInput } from '../schema/ingest.input';
import { IntegrationPayload, IntegrationSecretPayload } from '../schema/ingest.payloads';
import type { IntegrationDelivery } from '../schema/integration-delivery.type';
import { Integration } from '../schema/integration.entity';
import { Service } from '../schema/service.entity';
import { StatusFeedStatus } from '../schema/status-feed-status.type';
import { Role, Vendor } from '../schema/enums';
import { ConnectionArgs } from './connection-args';
import { pageComplexity } from './complexity';
import type { GraphQLContext } from './context';

@ArgsType()
class IntegrationsArgs extends ConnectionArgs {
  @Field(() => IntegrationFilter, { nullable: true, description: 'Only integrations matching every field given; all without it.' })
  filter?: IntegrationFilter | null;
}

@ArgsType()
class DeliveriesArgs extends ConnectionArgs {
  @Field(() => IntegrationDeliveryFilter, { nullable: true, description: 'Only deliveries matching every field given; all kept ones without it.' })
  filter?: IntegrationDeliveryFilter | null;
}

@Resolver(() => Integration)
export class IntegrationResolver {
  @Authorized(Role.ADMIN)
  @Query(() => IntegrationConnection, { description: 'Integrations by name (then id), a page at a time; secrets are never shown. Role: ADMIN.', complexity: pageComplexity })
  async integrations(@Ctx() { services }: GraphQLContext, @Args() args: IntegrationsArgs): Promise<Connection<Integration>> {
    return toConnection(IntegrationConnection, await services.integrations.list(args.filter ?? {}, args), args);
  }

  @Authorized(Role.ADMIN)
  @Query(() => Integration, { description: 'One integration by id. Role: ADMIN. BAD_USER_INPUT for an id that is not a UUID; NOT_FOUND when no integration has it.' })
  integration(@Ctx() { services }: GraphQLContext, @Arg('id', () => ID, { description: "The integration's id (a UUID)." }) id: string): Promise<Integration> {
    return services.integrations.get(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => IntegrationSecretPayload, {
    description:
      'A webhook endpoint for one vendor and service, enabled at once. Returns the webhook URL and its secret (shown once). Role: ADMIN. BAD_USER_INPUT for an empty name, a serviceId naming no service, invalid options, or a TWILIO integration without vendorCredential.',
  })
  createIntegration(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: CreateIntegrationInput): Promise<IntegrationSecretPayload> {
    return services.integrations.create(input, audit);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => IntegrationPayload, {
    description:
      'Rename, enable/disable, change options or the vendor credential; fields not given stay. Role: ADMIN. NOT_FOUND for an unknown id; BAD_USER_INPUT for an empty name, invalid options, or clearing the credential of a TWILIO integration.',
  })
  async updateIntegration(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) { id, ...patch }: UpdateIntegrationInput): Promise<IntegrationPayload> {
    return { integration: await services.integrations.update(id, patch, audit) };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => IntegrationSecretPayload, {
    description:
      'A new secret (shown once); the old one keeps working for the grace period so senders can be switched over. Role: ADMIN. NOT_FOUND for an unknown id; BAD_USER_INPUT for a grace period outside 0 to 30 days.',
  })
  rotateIntegrationSecret(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: RotateIntegrationSecretInput): Promise<IntegrationSecretPayload> {
    return services.integrations.rotateSecret(input.id, input.gracePeriodSeconds ?? undefined, audit);
  }

  @FieldResolver(() => String, { description: 'POST vendor webhooks here, with the secret as `Authorization: Bearer <secret>` (or as the vendor allows; see docs/webhooks.md).' })
  webhookUrl(@Root() integration: Integration, @Ctx() { services }: GraphQLContext): string {
    return services.integrations.webhookUrl(integration.id);
  }

  @FieldResolver(() => StatusFeedStatus, { nullable: true, description: 'STATUS_FEED integrations: how polling the feed goes (failures, the last error, the next poll); null for other vendors and before the first poll.' })
  async feedStatus(@Root() integration: Integration, @Ctx() { loaders }: GraphQLContext): Promise<StatusFeedStatus | null> {
    if (integration.vendor !== Vendor.STATUS_FEED) return null;
    return loaders.statusFeedStatus.load(integration.id);
  }

  @FieldResolver(() => Service, { description: 'The service whose incidents the alerts of this integration open.' })
  async service(@Root() integration: Integration, @Ctx() { loaders }: GraphQLContext): Promise<Service | null> {
    return loaders.service.load(integration.serviceId);
  }

  @Authorized(Role.ADMIN)
  @FieldResolver(() => IntegrationDeliveryConnection, {
    description:
      'Its recent deliveries, newest first (then by id), whatever their outcome: the newest INTEGRATION_DELIVERY_LOG_ROWS, at most INTEGRATION_DELIVERY_LOG_DAYS old, written in batches (a delivery shows within about INTEGRATION_DELIVERY_LOG_FLUSH_MS). Role: ADMIN.',
    complexity: pageComplexity,
  })
  async deliveries(@Root() integration: Integration, @Ctx() { loaders }: GraphQLContext, @Args() args: DeliveriesArgs): Promise<Connection<IntegrationDelivery>> {
    return toConnection(IntegrationDeliveryConnection, await loaders.deliveryPages(args.filter ?? {}, args).load(integration.id), args);
  }

  @FieldResolver(() => Boolean, {
    description:
      'true when expectedDeliveryIntervalSeconds is set and no delivery came for longer than that (counted from lastDeliveryAt, or from createdAt when it was never called); always false without an expectation.',
  })
  silent(@Root() integration: Integration, @Ctx() { services }: GraphQLContext): boolean {
    return services.integrationDeliveries.isSilent(integration);
  }
}
