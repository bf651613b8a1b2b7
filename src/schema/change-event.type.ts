import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A link a PagerDuty change event carried.' })
export class ChangeEventLink {
  @Field({ description: 'Where it points.' })
  href!: string;

  @Field(() => String, { nullable: true, description: 'Its text, when the sender gave one.' })
  text?: string | null;
}

@ObjectType({ description: 'A change to a service (a deploy, a configuration change) sent to POST /v2/change/enqueue: context, never an alert. Kept 90 days.' })
export class ChangeEvent {
  @Field(() => ID, { description: "The change event's id." })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'The integration whose routing_key sent it; null once that integration is deleted.' })
  integrationId!: string | null;

  @Field({ description: 'payload.summary, as sent.' })
  summary!: string;

  @Field(() => String, { nullable: true, description: 'payload.source, as sent.' })
  source!: string | null;

  @Field({ description: 'payload.timestamp, else when it arrived.' })
  happenedAt!: Date;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'payload.custom_details, as sent.' })
  customDetails!: Record<string, unknown> | null;

  @Field(() => [ChangeEventLink], { description: 'The links it carried, in order.' })
  links!: ChangeEventLink[];

  @Field({ description: 'When this server received it.' })
  receivedAt!: Date;
}
