import { Arg, Args, ArgsType, Authorized, Ctx, Field, Int, Mutation, Query, Resolver } from 'type-graphql';
import { toConnection, type Connection } from '../schema/connection';
import { DeadLetterConnection } from '../schema/connections';
import { DeadLetter } from '../schema/dead-letter.entity';
import { Role } from '../schema/enums';
import { DeadLetterFilterInput, ReplayDeadLetterInput } from '../schema/ingest.input';
import { ReplayDeadLetterPayload, UnauthenticatedWebhookCount } from '../schema/ingest.payloads';
import type { GraphQLContext } from './context';

@ArgsType()
class DeadLettersArgs {
  @Field(() => DeadLetterFilterInput, { nullable: true })
  filter?: DeadLetterFilterInput | null;

  @Field(() => Int, { nullable: true })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@Resolver(() => DeadLetter)
export class DeadLetterResolver {
  @Authorized(Role.ADMIN)
  @Query(() => DeadLetterConnection, { description: 'Rejected webhooks, newest first.' })
  async deadLetters(@Ctx() { services }: GraphQLContext, @Args() args: DeadLettersArgs): Promise<Connection<DeadLetter>> {
    return toConnection(DeadLetterConnection, await services.deadLetters.list(args.filter ?? {}, args), args);
  }

  @Authorized(Role.ADMIN)
  @Query(() => [UnauthenticatedWebhookCount], {
    description: 'Unauthenticated webhook rejections (unknown integration, wrong secret, bad signature) since `since` (default: the last 24 hours), counted per hour.',
  })
  async unauthenticatedWebhookCounts(
    @Ctx() { services }: GraphQLContext,
    @Arg('since', () => Date, { nullable: true }) since?: Date | null,
  ): Promise<UnauthenticatedWebhookCount[]> {
    return services.deadLetters.unauthenticatedCounts(since ?? null);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ReplayDeadLetterPayload, { description: 'Run a rejected delivery through the pipeline again (after fixing its integration).' })
  async replayDeadLetter(@Ctx() { services }: GraphQLContext, @Arg('input') input: ReplayDeadLetterInput): Promise<ReplayDeadLetterPayload> {
    const { deadLetter, outcome } = await services.replay.replay(input.id);
    return { deadLetter, accepted: outcome.status === 202, result: deadLetter.replayResult ?? {} };
  }
}
