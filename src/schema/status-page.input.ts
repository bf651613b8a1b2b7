import { Field, ID, InputType, Int } from 'type-graphql';
import { StatusPageKind } from './enums';

@InputType({ description: 'A component of a status page: a public service, in a group and an order.' })
export class StatusPageComponentInput {
  @Field(() => ID, { description: 'The service shown (a UUID); it must be public.' })
  serviceId!: string;

  @Field(() => String, { nullable: true, description: 'The group it is shown in, 1 to 200 characters; ungrouped when not given.' })
  group?: string | null;

  @Field(() => Int, { nullable: true, description: 'Its place within its group; the order of the list when not given.' })
  position?: number | null;

  @Field(() => String, { nullable: true, description: 'PROVIDERS pages: whose component it is, 1 to 200 characters.' })
  providerName?: string | null;

  @Field(() => String, { nullable: true, description: "PROVIDERS pages: an http(s) link to the provider's status page, at most 2,000 characters." })
  providerUrl?: string | null;
}

@InputType({ description: 'A new status page.' })
export class CreateStatusPageInput {
  @Field({ description: 'Unique short name in its URL: lower-case letters and digits separated by single hyphens, at most 100 characters.' })
  slug!: string;

  @Field({ description: 'The heading, 1 to 200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'A line under the heading, at most 5,000 characters.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'An IANA zone (e.g. Europe/Lisbon); UTC when not given.' })
  timeZone?: string | null;

  @Field(() => StatusPageKind, { nullable: true, description: 'SERVICES when not given.' })
  kind?: StatusPageKind | null;

  @Field(() => [StatusPageComponentInput], { nullable: true, description: 'The components shown, at most 200; without any, the default set (every public service; for PROVIDERS, those a Statuspage integration feeds).' })
  components?: StatusPageComponentInput[] | null;
}

@InputType({ description: 'Which status page changes, and the fields that change; fields not given stay.' })
export class UpdateStatusPageInput {
  @Field(() => ID, { description: "The page's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new slug; the main page keeps `main`.' })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: '1 to 200 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 5,000 characters; null clears it.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'An IANA zone.' })
  timeZone?: string | null;

  @Field(() => [StatusPageComponentInput], { nullable: true, description: 'Replaces the components; an empty list goes back to the default set.' })
  components?: StatusPageComponentInput[] | null;
}
