import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { AlertSeverity, AlertStatus, Vendor } from './enums';

@InputType({ description: 'A new webhook integration.' })
export class CreateIntegrationInput {
  @Field({ description: 'Display name, 1 to 200 characters.' })
  name!: string;

  @Field(() => Vendor, { description: 'Which webhook format it receives (fixed once created).' })
  vendor!: Vendor;

  @Field(() => ID, { description: 'The service whose incidents its alerts open.' })
  serviceId!: string;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: '{ severityMap: { CRITICAL: P1, … }, vendorSeverityMap: { "Sev0": P1, … }, autoResolve: true, sapFieldMap: { subject: "path.to.field", … } }',
  })
  options?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: "Twilio: the account's auth token (to verify X-Twilio-Signature). Never returned." })
  vendorCredential?: string | null;
}

@InputType({ description: 'Which integration changes, and the fields that change; fields not given stay.' })
export class UpdateIntegrationInput {
  @Field(() => ID, { description: "The integration's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: '1 to 200 characters. Unchanged when not given.' })
  name?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'false refuses its webhooks from now on (403, kept as dead letters). Unchanged when not given.' })
  enabled?: boolean | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Replaces all options (same shape as in createIntegration). Unchanged when not given.' })
  options?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: "Twilio: the account's auth token; null clears it (refused for TWILIO). Never returned. Unchanged when not given." })
  vendorCredential?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'How often a delivery is expected, 60 to 2592000 seconds (30 days); longer without one makes the integration `silent`. null clears it (never silent). Unchanged when not given.',
  })
  expectedDeliveryIntervalSeconds?: number | null;
}

@InputType({ description: 'Which integration gets a new secret, and how long the old one keeps working.' })
export class RotateIntegrationSecretInput {
  @Field(() => ID, { description: "The integration's id." })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'How long the old secret keeps working (default 86400 s).' })
  gracePeriodSeconds?: number | null;
}

@InputType({ description: 'Narrows an alert list: each field given must match (a list matches any of its values).' })
export class AlertFilterInput {
  @Field(() => [AlertStatus], { nullable: true, description: 'Alerts in any of these statuses.' })
  status?: AlertStatus[] | null;

  @Field(() => [AlertSeverity], { nullable: true, description: 'Alerts of any of these severities.' })
  severity?: AlertSeverity[] | null;

  @Field(() => [ID], { nullable: true, description: 'Alerts of any of these services.' })
  serviceId?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Alerts received by any of these integrations.' })
  integrationId?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Alerts attached to this incident.' })
  incidentId?: string | null;

  @Field(() => Date, { nullable: true, description: 'First received at or after this instant (UTC).' })
  firstSeenAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'First received before this instant (UTC).' })
  firstSeenBefore?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only alerts recorded during a maintenance window; false: only the others.' })
  suppressed?: boolean | null;
}

@InputType({ description: 'Which alerts a subscriber wants.' })
export class AlertSubscriptionFilter {
  @Field(() => [ID], { nullable: true, description: 'Only alerts of any of these services.' })
  serviceId?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only alerts received by any of these integrations.' })
  integrationId?: string[] | null;

  @Field(() => [AlertStatus], { nullable: true, description: 'Only alerts now in any of these statuses.' })
  status?: AlertStatus[] | null;

  @Field(() => [AlertSeverity], { nullable: true, description: 'Only alerts of any of these severities.' })
  severity?: AlertSeverity[] | null;
}

@InputType({ description: 'Narrows the dead-letter list: each field given must match.' })
export class DeadLetterFilterInput {
  @Field(() => ID, { nullable: true, description: 'Only deliveries to this integration.' })
  integrationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only those replayed successfully; false: only those not (yet).' })
  replayed?: boolean | null;
}

@InputType({ description: 'Which dead letter to replay.' })
export class ReplayDeadLetterInput {
  @Field(() => ID, { description: "The dead letter's id." })
  id!: string;
}
