import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { AlertSeverity, AlertStatus, Vendor } from './enums';

@InputType()
export class CreateIntegrationInput {
  @Field()
  name!: string;

  @Field(() => Vendor)
  vendor!: Vendor;

  @Field(() => ID)
  serviceId!: string;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: '{ severityMap: { CRITICAL: P1, … }, vendorSeverityMap: { "Sev0": P1, … }, autoResolve: true, sapFieldMap: { subject: "path.to.field", … } }',
  })
  options?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: "Twilio: the account's auth token (to verify X-Twilio-Signature). Never returned." })
  vendorCredential?: string | null;
}

@InputType()
export class UpdateIntegrationInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  options?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  vendorCredential?: string | null;
}

@InputType()
export class RotateIntegrationSecretInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'How long the old secret keeps working (default 86400 s).' })
  gracePeriodSeconds?: number | null;
}

@InputType()
export class AlertFilterInput {
  @Field(() => [AlertStatus], { nullable: true })
  status?: AlertStatus[] | null;

  @Field(() => [AlertSeverity], { nullable: true })
  severity?: AlertSeverity[] | null;

  @Field(() => [ID], { nullable: true })
  serviceId?: string[] | null;

  @Field(() => [ID], { nullable: true })
  integrationId?: string[] | null;

  @Field(() => ID, { nullable: true })
  incidentId?: string | null;

  @Field(() => Date, { nullable: true })
  firstSeenAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  firstSeenBefore?: Date | null;

  @Field(() => Boolean, { nullable: true })
  suppressed?: boolean | null;
}

@InputType({ description: 'Which alerts a subscriber wants.' })
export class AlertSubscriptionFilter {
  @Field(() => [ID], { nullable: true })
  serviceId?: string[] | null;

  @Field(() => [ID], { nullable: true })
  integrationId?: string[] | null;

  @Field(() => [AlertStatus], { nullable: true })
  status?: AlertStatus[] | null;

  @Field(() => [AlertSeverity], { nullable: true })
  severity?: AlertSeverity[] | null;
}

@InputType()
export class DeadLetterFilterInput {
  @Field(() => ID, { nullable: true })
  integrationId?: string | null;

  @Field(() => Boolean, { nullable: true })
  replayed?: boolean | null;
}

@InputType()
export class ReplayDeadLetterInput {
  @Field(() => ID)
  id!: string;
}
