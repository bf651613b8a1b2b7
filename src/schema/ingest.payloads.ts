import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DeadLetter } from './dead-letter.entity';
import { Integration } from './integration.entity';

@ObjectType({ description: 'The integration as the mutation left it.' })
export class IntegrationPayload {
  @Field(() => Integration, { description: 'The integration, after the change.' })
  integration!: Integration;
}

@ObjectType({ description: 'The integration and its new webhook secret.' })
export class IntegrationSecretPayload {
  @Field(() => Integration, { description: 'The integration, after the change.' })
  integration!: Integration;

  @Field({ description: 'Shown once: configure the sender with it now.' })
  secret!: string;
}

@ObjectType({ description: 'What a replay of a dead letter did.' })
export class ReplayDeadLetterPayload {
  @Field(() => DeadLetter, { description: 'The dead letter, with the replay recorded.' })
  deadLetter!: DeadLetter;

  @Field({ description: 'Whether the replay was accepted (its alerts are now committed).' })
  accepted!: boolean;

  @Field(() => GraphQLJSONObject, { description: 'The pipeline result, or why it was rejected again.' })
  result!: Record<string, unknown>;
}

@ObjectType({ description: 'Unauthenticated webhook rejections of one integration (or of unknown ones) for one reason: all counted, a capped sample kept.' })
export class UnauthenticatedWebhookCount {
  @Field(() => ID, { nullable: true, description: 'Null for requests naming no existing integration.' })
  integrationId!: string | null;

  @Field({ description: 'unknown_integration, unauthorized or bad_signature.' })
  reason!: string;

  @Field(() => Int, { description: 'Rejections counted.' })
  rejected!: number;

  @Field(() => Int, { description: 'How many of them are kept as dead letters (at most DEAD_LETTER_ANONYMOUS_SAMPLE per hour).' })
  kept!: number;
}
