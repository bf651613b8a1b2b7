import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { MetricGroup, Role } from '../schema/enums';
import { Integration } from '../schema/integration.entity';
import { AnalyticsLink, IncidentMetrics, IncidentMetricsFilter, IncidentMetricsRow, ResponderMetricsRow } from '../schema/metrics.types';
import { Person } from '../schema/person.entity';
import { Service } from '../schema/service.entity';
import { figuresOfFields } from '../services/metrics/incident-metrics.service';
import type { GraphQLContext } from './context';
import { selectedFieldNames } from './selected-fields';

@Resolver(() => IncidentMetrics)
export class MetricsResolver {
  @Authorized(Role.ANALYST)
  @Query(() => IncidentMetrics, {
    description:
      'Incident figures over [from, to) computed in PostgreSQL: counts, MTTA/MTTR/time to mitigate and detect (mean, median, p90), noise, escalations and pages, per group and in total. Role: ANALYST. BAD_USER_INPUT naming the field for a period that is empty, reversed or longer than five years, an unknown time zone, two time groups, an id that is not a UUID, or more than 10,000 groups.',
  })
  incidentMetrics(
    @Ctx() { services }: GraphQLContext,
    @Arg('from', () => Date, { description: 'Start of the period, inclusive (incidents opened from then).' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the period, exclusive; durations and resolutions count when they happened before it.' }) to: Date,
    @Arg('groupBy', () => [MetricGroup], { nullable: true, description: 'Combinable; at most one of DAY, WEEK, MONTH. No grouping gives the total only.' }) groupBy?: MetricGroup[] | null,
    @Arg('filter', () => IncidentMetricsFilter, { nullable: true, description: 'Which incidents count.' }) filter?: IncidentMetricsFilter | null,
    @Arg('timeZone', () => String, { nullable: true, description: 'IANA zone the DAY/WEEK/MONTH periods are local to; UTC by default.' }) timeZone?: string | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<IncidentMetrics> {
    // Each figure costs joins or sorts: only those the query reads are computed.
    const figures = info ? figuresOfFields(selectedFieldNames(info)) : undefined;
    return services.incidentMetrics.compute({ from, to, groupBy, filter, timeZone, figures });
  }

  @Authorized(Role.ANALYST)
  @Query(() => [ResponderMetricsRow], {
    description:
      "Each person's on-call load over [from, to): pages and interruptions by business, off and sleep hours in their own zone, incidents acknowledged and how fast, hours on call. People with no page, acknowledgement or shift in the period are left out. Role: ANALYST. BAD_USER_INPUT naming the field as for incidentMetrics.",
  })
  responderMetrics(
    @Ctx() { services }: GraphQLContext,
    @Arg('from', () => Date, { description: 'Start of the period, inclusive.' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the period, exclusive.' }) to: Date,
    @Arg('filter', () => IncidentMetricsFilter, { nullable: true, description: 'Which incidents the pages and acknowledgements count for (not the hours on call).' }) filter?: IncidentMetricsFilter | null,
  ): Promise<ResponderMetricsRow[]> {
    return services.responderMetrics.compute({ from, to, filter });
  }

  @Authorized(Role.ANALYST)
  @Mutation(() => AnalyticsLink, {
    description:
      'A signed, expiring link to GET /analytics/report for this period and filter: a browser cannot send a bearer token on a link, so whoever holds it may read that report until it expires. Role: ANALYST. Audited (who made which link). BAD_USER_INPUT naming the field as for incidentMetrics, and for expiresInSeconds outside 60 to 604800 (7 days).',
  })
  createAnalyticsLink(
    @Ctx() { services, audit }: GraphQLContext,
    @Arg('from', () => Date, { description: 'Start of the period, inclusive.' }) from: Date,
    @Arg('to', () => Date, { description: 'End of the period, exclusive.' }) to: Date,
    @Arg('filter', () => IncidentMetricsFilter, { nullable: true, description: 'Which incidents the report counts.' }) filter?: IncidentMetricsFilter | null,
    @Arg('timeZone', () => String, { nullable: true, description: "IANA zone of the report's weeks; UTC by default." }) timeZone?: string | null,
    @Arg('expiresInSeconds', () => Int, { defaultValue: 3600, description: 'How long the link works, 60 s to 7 days (default 1 hour).' }) expiresInSeconds = 3600,
  ): Promise<AnalyticsLink> {
    return services.analyticsLinks.create({ from, to, filter, timeZone }, expiresInSeconds, audit);
  }
}

@Resolver(() => IncidentMetricsRow)
export class IncidentMetricsRowResolver {
  @FieldResolver(() => Service, { nullable: true, description: 'The SERVICE group as a service.' })
  service(@Root() row: IncidentMetricsRow, @Ctx() { loaders }: GraphQLContext): Promise<Service | null> | null {
    return row.serviceId ? loaders.service.load(row.serviceId) : null;
  }

  @FieldResolver(() => Integration, { nullable: true, description: 'The INTEGRATION group as an integration; null for incidents declared by hand or a deleted integration.' })
  integration(@Root() row: IncidentMetricsRow, @Ctx() { loaders }: GraphQLContext): Promise<Integration | null> | null {
    return row.integrationId ? loaders.integration.load(row.integrationId) : null;
  }
}

@Resolver(() => ResponderMetricsRow)
export class ResponderMetricsRowResolver {
  @FieldResolver(() => Person, { nullable: true, description: 'The person; null when deleted since.' })
  person(@Root() row: ResponderMetricsRow, @Ctx() { loaders }: GraphQLContext): Promise<Person | null> {
    return loaders.person.load(row.personId);
  }
}

export const METRICS_RESOLVERS = [MetricsResolver, IncidentMetricsRowResolver, ResponderMetricsRowResolver];
