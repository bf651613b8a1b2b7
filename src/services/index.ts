import type { DataSource } from 'typeorm';
import type { Clock } from '../shared/clock';
import { ApiTokenService } from './api-token.service';
import { CatalogService } from './catalog.service';
import { IncidentQueryService } from './incident-query.service';
import { IncidentService } from './incident.service';
import { MitigationService } from './mitigation.service';
import { StatusUpdateService } from './status-update.service';
import { TimelineService } from './timeline.service';

export type Services = ReturnType<typeof createServices>;

/** Wires the domain services over one data source and clock. */
export function createServices(db: DataSource, clock: Clock) {
  const incidents = new IncidentService(db, clock);
  return {
    db,
    clock,
    incidents,
    incidentQueries: new IncidentQueryService(db),
    timeline: new TimelineService(db),
    statusUpdates: new StatusUpdateService(db, clock, incidents),
    mitigations: new MitigationService(db, clock, incidents),
    catalog: new CatalogService(db, clock),
    tokens: new ApiTokenService(db, clock),
  };
}
