import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { Role } from '../schema/enums';
import { RemoveInput } from '../schema/paging.input';
import { RemovedPayload } from '../schema/paging.payloads';
import { Service } from '../schema/service.entity';
import { StatusPage } from '../schema/status-page.entity';
import { StatusSubscriber, StatusSubscriberConnection, StatusSubscriberCounts, StatusSubscriberFilter } from '../schema/status-subscriber.entity';
import { pageComplexity } from './complexity';
import { ConnectionArgs } from './connection-args';
import type { GraphQLContext } from './context';

@ArgsType()
class StatusSubscribersArgs extends ConnectionArgs {
  @Field(() => ID, { description: 'The status page whose subscribers to list; NOT_FOUND when there is none.' })
  pageId!: string;

  @Field(() => StatusSubscriberFilter, { nullable: true, description: 'Only subscribers matching every field given; all of the page without it.' })
  filter?: StatusSubscriberFilter | null;
}

@Resolver(() => StatusSubscriber)
export class StatusSubscriberResolver {
  @Authorized(Role.ADMIN)
  @Query(() => StatusSubscriberConnection, {
    complexity: pageComplexity,
    description: "A status page's subscribers, newest first (then by id), a page at a time (Relay connection), with their addresses; a webhook's signing secret is never shown. Role: ADMIN.",
  })
  async statusSubscribers(@Ctx() { services }: GraphQLContext, @Args() { pageId, filter, ...page }: StatusSubscribersArgs): Promise<Connection<StatusSubscriber>> {
    return toConnection(StatusSubscriberConnection, await services.statusSubscribers.list(pageId, filter ?? {}, page), page);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => RemovedPayload, {
    description: 'Deletes a subscriber: it is told nothing more and its undelivered messages are dropped (it may subscribe again itself). Audited. Role: ADMIN. NOT_FOUND for an unknown id.',
  })
  async removeStatusSubscriber(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'The subscriber to remove.' }) input: RemoveInput): Promise<RemovedPayload> {
    await services.statusSubscribers.remove(input.id, audit);
    return { removed: true };
  }

  @FieldResolver(() => [Service], { description: 'The components (public services) it subscribed to; empty: the whole page, whatever it shows.' })
  async services(@Root() subscriber: StatusSubscriber, @Ctx() { loaders }: GraphQLContext): Promise<Service[]> {
    const services = await loaders.service.loadMany(subscriber.serviceIds);
    // A service deleted since is gone from the page too.
    return services.filter((service): service is Service => service !== null && !(service instanceof Error));
  }
}

@Resolver(() => StatusPage)
export class StatusPageSubscribersResolver {
  @Authorized(Role.ADMIN)
  @FieldResolver(() => StatusSubscriberCounts, { description: 'How many subscribers the page has: active, pending and unsubscribed, and per channel. Role: ADMIN (FORBIDDEN for others, the rest of the page still answered).' })
  subscriberCounts(@Root() page: StatusPage, @Ctx() { loaders }: GraphQLContext): Promise<StatusSubscriberCounts> {
    return loaders.statusSubscriberCounts.load(page.id);
  }
}

export const STATUS_SUBSCRIBER_RESOLVERS = [StatusSubscriberResolver, StatusPageSubscribersResolver];
