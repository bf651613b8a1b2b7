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
  @Field(() => DeadLetterFilterInput, { nullable: true, description: 'Only dead letters matching every field given; all without it.' })
  filter?: DeadLetterFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20); outside that is BAD_USER_INPUT naming `first`.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The previous page\'s pageInfo.endCursor, to get the page after it; a cursor the server did not issue is BAD_USER_INPUT naming `after`.' })
  after?: string | null;
}

@Resolver(() => DeadLetter)
export class DeadLetterResolver {
  @Authorized(Role.ADMIN)
  @Query(() => DeadLetterConnection, {
    description: 'Rejected webhook deliveries, newest first (then by id), a page at a time; deleted after DEAD_LETTER_RETENTION_DAYS. Role: ADMIN.',
  })
  async deadLetters(@Ctx() { services }: GraphQLContext, @Args() args: DeadLettersArgs): Promise<Connection<DeadLetter>> {
    return toConnection(DeadLetterConnection, await services.deadLetters.list(args.filter ?? {}, args), args);
  }

  @Authorized(Role.ADMIN)
  @Query(() => [UnauthenticatedWebhookCount], {
    description: 'Unauthenticated webhook rejections (unknown integration, wrong secret, bad signature) since `since` (default: the last 24 hours), one row per integration and reason, most rejected first: how many were rejected and how many of them were kept as dead letters. Role: ADMIN.',
  })
  async unauthenticatedWebhookCounts(
    @Ctx() { services }: GraphQLContext,
    @Arg('since', () => Date, { nullable: true, description: 'Count from the start of the UTC hour this instant falls in; 24 hours ago when not given.' }) since?: Date | null,
  ): Promise<UnauthenticatedWebhookCount[]> {
    return services.deadLetters.unauthenticatedCounts(since ?? null);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ReplayDeadLetterPayload, {
    description:
      'Run a rejected delivery through the pipeline again (after fixing its integration); the answer says whether it was accepted this time, and the dead letter records the outcome. Role: ADMIN. NOT_FOUND for an unknown id; CONFLICT when it was already replayed successfully (a failed replay may be tried again), was never authenticated, named no existing integration, its body was not kept, or its integration is gone or disabled.',
  })
  async replayDeadLetter(@Ctx() { services, audit }: GraphQLContext, @Arg('input', { description: 'What to do; when it is invalid, BAD_USER_INPUT names the field at fault in extensions.field (e.g. title, steps[0].delayMinutes).' }) input: ReplayDeadLetterInput): Promise<ReplayDeadLetterPayload> {
    const { deadLetter, accepted } = await services.deadLetterReplay.replay(input.id, audit);
    return { deadLetter, accepted, result: deadLetter.replayResult ?? {} };
  }
}
