import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "How polling a STATUS_FEED integration's feed goes (docs/status-feeds.md). Times are UTC." })
export class StatusFeedStatus {
  @Field(() => Date, { nullable: true, description: 'When the feed was last asked for, whatever came of it.' })
  lastPolledAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of that answer (304 when unchanged); null when none came (timeout, refused URL).' })
  lastHttpStatus!: number | null;

  @Field(() => Date, { nullable: true, description: 'When a poll last succeeded (200 with a feed, or 304).' })
  lastSuccessAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a poll last changed an alert.' })
  lastChangedAt!: Date | null;

  @Field({ description: 'When the feed is polled next: one pollIntervalSeconds after a success, later after failures (doubling, at most an hour, or as Retry-After asks).' })
  nextPollAt!: Date;

  @Field(() => Int, { description: 'Polls failed in a row (feed gone, 5xx, timeout, malformed body…); 0 after a success.' })
  consecutiveFailures!: number;

  @Field(() => String, { nullable: true, description: 'What went wrong the last time, while failures go on; null after a success.' })
  lastError!: string | null;

  @Field(() => Date, { nullable: true, description: 'When that happened.' })
  lastErrorAt!: Date | null;
}
