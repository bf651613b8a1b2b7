import { Field, ID, Int, ObjectType } from 'type-graphql';
import { IntegrationDeliveryChannel, IntegrationDeliveryOutcome } from './enums';

@ObjectType({
  description:
    'One delivery to an integration, as the delivery log keeps it: when, which way, what became of it. Never its body, headers, query string or credentials.',
})
export class IntegrationDelivery {
  @Field(() => ID, { description: "The log entry's id." })
  id!: string;

  @Field({ description: 'When the delivery arrived (UTC).' })
  receivedAt!: Date;

  @Field(() => IntegrationDeliveryChannel, { description: 'Which way in it came.' })
  channel!: IntegrationDeliveryChannel;

  @Field(() => IntegrationDeliveryOutcome, { description: 'What became of it.' })
  outcome!: IntegrationDeliveryOutcome;

  @Field(() => Int, { description: 'The HTTP status it was answered with (for EMAIL: the SMTP reply code).' })
  statusCode!: number;

  @Field(() => Int, { description: 'Alerts it carried that were taken in (0 unless ACCEPTED).' })
  alertsAccepted!: number;

  @Field(() => Int, { description: 'Milliseconds from its arrival to its answer.' })
  latencyMs!: number;

  @Field(() => String, { nullable: true, description: 'The request id it was answered with (X-Request-Id; Opsgenie: its requestId; EMAIL: the SMTP session id), to find its log lines.' })
  requestId!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was not accepted: the reason code (e.g. schema_violation, rate_limited), never the body; null when accepted.' })
  error!: string | null;
}
