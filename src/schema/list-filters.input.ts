import { Field, ID, InputType } from 'type-graphql';
import { ChannelKind, IntegrationDeliveryOutcome, NotificationStatus, Vendor } from './enums';

/** Filters of the catalog lists and of Incident.notifications; every field narrows the list, an empty list filters nothing. */

@InputType({ description: 'Which services to list.' })
export class ServiceFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name.' })
  nameContains?: string | null;

  @Field(() => [String], { nullable: true, description: 'Any of these slugs.' })
  slug?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Owned by this person.' })
  ownerId?: string | null;
}

@InputType({ description: 'Which people to list.' })
export class PersonFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name.' })
  nameContains?: string | null;

  @Field(() => String, { nullable: true, description: 'This e-mail address, in any case.' })
  email?: string | null;
}

@InputType({ description: 'Which teams to list.' })
export class TeamFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name.' })
  nameContains?: string | null;

  @Field(() => ID, { nullable: true, description: 'Teams this person is a member of.' })
  memberId?: string | null;
}

@InputType({ description: 'Which escalation policies to list.' })
export class EscalationPolicyFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name.' })
  nameContains?: string | null;

  @Field(() => ID, { nullable: true, description: 'The policy this service uses.' })
  serviceId?: string | null;
}

@InputType({ description: 'Which integrations to list.' })
export class IntegrationFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name.' })
  nameContains?: string | null;

  @Field(() => [Vendor], { nullable: true, description: 'Integrations of any of these vendors.' })
  vendor?: Vendor[] | null;

  @Field(() => [ID], { nullable: true, description: 'Integrations feeding any of these services.' })
  serviceId?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only enabled integrations; false: only disabled ones.' })
  enabled?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only silent integrations (see Integration.silent); false: only those that are not.' })
  silent?: boolean | null;
}

@InputType({ description: "Which of an incident's notifications to list." })
export class NotificationFilter {
  @Field(() => [NotificationStatus], { nullable: true, description: 'Pages in any of these statuses.' })
  status?: NotificationStatus[] | null;

  @Field(() => [ChannelKind], { nullable: true, description: 'Pages sent through any of these channels.' })
  channel?: ChannelKind[] | null;
}

@InputType({ description: "Narrows an integration's delivery log; every field given must match." })
export class IntegrationDeliveryFilter {
  @Field(() => [IntegrationDeliveryOutcome], { nullable: true, description: 'Deliveries with any of these outcomes.' })
  outcome?: IntegrationDeliveryOutcome[] | null;
}
