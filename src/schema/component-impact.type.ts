import { Field, ObjectType } from 'type-graphql';
import { ComponentImpact } from './enums';
import { Service } from './service.entity';

@ObjectType({ description: 'What an incident does to one component (a public service) of the status pages.' })
export class IncidentComponentImpact {
  serviceId!: string;
  incidentId!: string;

  @Field(() => Service, { description: 'The affected service.' })
  service?: Service;

  @Field(() => ComponentImpact, { description: 'DEGRADED_PERFORMANCE, PARTIAL_OUTAGE or MAJOR_OUTAGE.' })
  impact!: ComponentImpact;
}
