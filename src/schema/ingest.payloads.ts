import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { DeadLetter } from './dead-letter.entity';
import { Integration } from './integration.entity';

@ObjectType()
export class IntegrationPayload {
  @Field(() => Integration)
  integration!: Integration;
}

@ObjectType()
export class IntegrationSecretPayload {
  @Field(() => Integration)
  integration!: Integration;

  @Field({ description: 'Shown once: configure the sender with it now.' })
  secret!: string;
}

@ObjectType()
export class ReplayDeadLetterPayload {
  @Field(() => DeadLetter)
  deadLetter!: DeadLetter;

  @Field({ description: 'Whether the replay was accepted (its alerts are now committed).' })
  accepted!: boolean;

  @Field(() => GraphQLJSONObject, { description: 'The pipeline result, or why it was rejected again.' })
  result!: Record<string, unknown>;
}
