import type { IncidentMetrics, ResponderMetricsRow } from '../../schema/metrics.types';
import { MetricGroup } from '../../shared/enums';
import type { CatalogService } from '../catalog.service';
import type { IncidentMetricsArgs, IncidentMetricsService } from './incident-metrics.service';
import type { ResponderMetricsService } from './responder-metrics.service';

export interface IncidentReportData {
  byWeek: IncidentMetrics;
  byService: IncidentMetrics;
  serviceNames: Map<string, string>;
  responders: Array<ResponderMetricsRow & { name: string }>;
}

/**
 * What the analytics report shows, gathered in parallel: the weeks with their timings, the services with their
 * noise, the people with their interruptions, and the names to label them with. Each statement computes only the
 * figures the report draws.
 */
export class IncidentReportService {
  constructor(
    private readonly metrics: IncidentMetricsService,
    private readonly responders: ResponderMetricsService,
    private readonly catalog: CatalogService,
  ) {}

  async gather(args: IncidentMetricsArgs): Promise<IncidentReportData> {
    const [byWeek, byService, responders] = await Promise.all([
      this.metrics.compute({ ...args, groupBy: [MetricGroup.WEEK], figures: new Set(['tta', 'ttr', 'alerts'] as const) }),
      this.metrics.compute({ ...args, groupBy: [MetricGroup.SERVICE], figures: new Set(['alerts'] as const) }),
      this.responders.compute({ from: args.from, to: args.to, filter: args.filter }),
    ]);
    const serviceIds = [...new Set([...byService.rows.map((row) => row.serviceId), ...(args.filter?.serviceIds ?? [])])].filter((id): id is string => typeof id === 'string');
    const [people, services] = await Promise.all([this.catalog.peopleByIds(responders.map((row) => row.personId)), this.catalog.servicesByIds(serviceIds)]);
    const personNames = new Map(people.map((person) => [person.id, person.name]));
    return {
      byWeek,
      byService,
      serviceNames: new Map(services.map((service) => [service.id, service.name])),
      responders: responders.map((row) => ({ ...row, name: personNames.get(row.personId) ?? 'Former person' })),
    };
  }
}
