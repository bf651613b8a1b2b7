import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { loadConfig, maintenanceCalendarConfig, publicBaseUrl } from '../src/config';
import { runMigrations } from '../src/db/data-source';
import { EmbeddedPostgresError } from '../src/db/embedded-postgres';
import { openDatabase } from '../src/db/open-database';
import { createLogger } from '../src/logger';
import { Audience, CauseKind, IncidentSource, MaintenanceImpact, MaintenanceStatus, Priority } from '../src/schema/enums';
import { createServices, type Services } from '../src/services';
import { SYSTEM_ACTOR } from '../src/shared/actor';
import { REFERENCE_CADENCE } from '../src/services/communication-planner';
import { systemClock, type Clock } from '../src/shared/clock';
import { createReferenceOrganisation, FOLLOW_THE_SUN, REFERENCE_ESCALATION_CHAIN, REFERENCE_PEOPLE, type ReferencePerson } from './support/reference-organisation';

/**
 * Loads the reference organisation (scripts/support/reference-organisation.ts, from ../shared/DOMAIN.md): the
 * follow-the-sun rota in UTC with backups, the six-step escalation chain, services and integrations, and the reference
 * communication cadence (put back if it was edited). Safe to run twice: whatever exists (by e-mail, name or slug) is
 * reused, not duplicated.
 */
export interface SeededDemo {
  /** The resolved incident whose IRF is approved and whose RCA is published. */
  reviewedIncidentId: string;
  scheduleId: string;
  policyId: string;
  serviceIds: Record<string, string>;
  people: Record<ReferencePerson, string>;
  /** Integrations created by this run, with their secrets (shown once). */
  createdIntegrations: Array<{ name: string; id: string; secret: string }>;
  /** The demo's planned and emergency maintenance windows (existing ones reused by title). */
  maintenanceWindowIds: string[];
}

const DAY = 86_400_000;

const MAINTENANCE_CREW = { name: 'Maintenance crew', description: 'Runs the demo maintenance windows; its members get their notices (add people with contact methods to see them).' };

/**
 * A planned window three weeks ahead (well over 10 business days) and an emergency one in two days, both 02:00–04:00
 * UTC on the SMPP gateway and the web app; their kinds follow from the dates. They are run by a team of their own that
 * starts without members: the demo's people have no contact methods, and a server without SMTP would fail their notices.
 */
async function seedMaintenance(services: Services, db: DataSource, clock: Clock, serviceIds: Record<string, string>): Promise<Array<{ id: string; title: string; kind: string }>> {
  const [crew] = await db.query(`SELECT id FROM team WHERE name = $1`, [MAINTENANCE_CREW.name]);
  const teamId: string = crew?.id ?? (await services.teams.create({ ...MAINTENANCE_CREW, memberIds: [] })).id;
  const at = (days: number, hour: number) => {
    const day = new Date(clock.now().getTime() + days * DAY);
    return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour));
  };
  const demo = [
    { title: 'SMPP cluster upgrade', description: 'Rolling upgrade of the **SMPP** binds; senders reconnect once.', days: 21, impact: MaintenanceImpact.PARTIAL_OUTAGE },
    { title: 'Emergency certificate rotation', description: 'The portal certificate expires soon; rotating it now.', days: 2, impact: MaintenanceImpact.DEGRADED },
  ];
  const open = await services.maintenance.list({ status: [MaintenanceStatus.SCHEDULED, MaintenanceStatus.IN_PROGRESS] }, { first: 100 });
  const windows = [];
  for (const { title, description, days, impact } of demo) {
    const existing = open.nodes.find((window) => window.title === title);
    const window =
      existing ??
      (await services.maintenance.schedule(SYSTEM_ACTOR, {
        title,
        description,
        serviceIds: [serviceIds['smpp-gateway'], serviceIds['web-app']],
        teamId,
        startsAt: at(days, 2),
        endsAt: at(days, 4),
        impact: [{ serviceId: serviceIds['smpp-gateway'], impact }],
      }));
    windows.push({ id: window.id, title: window.title, kind: window.kind });
  }
  return windows;
}

const REVIEWED_DEMO_INCIDENT = 'SMS delivery delayed on the EU cluster';

/**
 * A resolved incident with its review done: the IRF filled in and approved (the incident REVIEWED) and the RCA
 * generated from it and published, with a preventive task. Reused by title when it exists.
 */
async function seedReviewedIncident(services: Services, db: DataSource, serviceIds: Record<string, string>, people: Record<ReferencePerson, string>): Promise<{ incidentId: string; rcaPath: string | null }> {
  const [existing] = await db.query(`SELECT id FROM incident WHERE title = $1 ORDER BY number LIMIT 1`, [REVIEWED_DEMO_INCIDENT]);
  if (existing) {
    const [rca] = await services.rcas.byIncidentIds([existing.id]);
    return { incidentId: existing.id, rcaPath: rca?.publicId ? `/status/rca/${rca.publicId}` : null };
  }
  // Opened without escalating: the demo's on-call people would be paged for an incident that is over at once.
  const incident = await db.transaction(async (manager) =>
    (await services.incidents.open(manager, SYSTEM_ACTOR, {
      title: REVIEWED_DEMO_INCIDENT,
      description: 'Messages to EU operators queued for up to 20 minutes.',
      serviceId: serviceIds['sms-api'],
      priority: Priority.P2,
      source: IncidentSource.MONITORING,
      ownerId: people.rafael,
      impact: { channels: ['SMS'], locations: ['eu-west'], products: ['HTTP API'], description: 'SMS to EU operators delayed by up to 20 minutes.' },
      escalate: false,
    }))!,
  );
  await services.statusUpdates.post(SYSTEM_ACTOR, incident.id, 'SMS to European operators are delayed; we are working on it.', Audience.PUBLIC);
  await services.incidents.acknowledge(SYSTEM_ACTOR, incident.id);
  await services.mitigations.add(SYSTEM_ACTOR, { incidentId: incident.id, description: 'Move EU traffic to the healthy consumer group', temporary: true, longTermFix: { title: 'Repair the stuck consumer group', ownerId: people.rafael } });
  await services.incidents.resolve(SYSTEM_ACTOR, incident.id);
  const [category] = await services.causeCategories.list();
  const edits = [
    { summary: 'A consumer group stalled on a malformed message; EU SMS queued for up to 20 minutes until traffic moved to the healthy group.' },
    { detection: { impactStartedAt: new Date(incident.openedAt.getTime() - 4 * 60_000), notes: 'Queue-age alert fired four minutes after the first delayed message.' } },
    { causes: [{ kind: CauseKind.ROOT, categoryId: category.id, description: 'The consumer retried a malformed message forever instead of dead-lettering it.' }] },
    { mitigation: { notes: 'Moved EU traffic to the healthy consumer group.', fasterMitigation: 'A queue-age alert at 2 minutes instead of 5.' } },
    { preventiveActions: { notes: 'Dead-letter poison messages after three attempts.' } },
  ];
  for (const edit of edits) await services.reviews.updateSection(SYSTEM_ACTOR, { incidentId: incident.id, ...edit });
  await services.tasks.create(SYSTEM_ACTOR, { title: 'Dead-letter poison messages after three attempts', incidentId: incident.id, ownerId: people.rafael, priority: Priority.P2 });
  await services.reviews.submit(SYSTEM_ACTOR, incident.id);
  await services.reviews.approve(SYSTEM_ACTOR, incident.id);
  await services.rcas.generate(SYSTEM_ACTOR, incident.id);
  await services.rcas.submit(SYSTEM_ACTOR, incident.id);
  const { document } = await services.rcas.publish(SYSTEM_ACTOR, incident.id);
  return { incidentId: incident.id, rcaPath: `/status/rca/${document.publicId}` };
}

export async function seedDemo(services: Services, db: DataSource, clock: Clock, baseUrl: string, log: (line: string) => void = console.log): Promise<SeededDemo> {
  const organisation = await createReferenceOrganisation(services, db);
  const createdIntegrations: SeededDemo['createdIntegrations'] = [];
  for (const { name, id, secret } of organisation.integrations) {
    if (secret === null) {
      log(`integration "${name}" exists: ${baseUrl}/webhooks/${id} (secret shown only when it was created)`);
      continue;
    }
    log(`integration "${name}": ${baseUrl}/webhooks/${id}  secret: ${secret}`);
    createdIntegrations.push({ name, id, secret });
  }

  const { scheduleId, policyId, serviceIds, people } = organisation;
  const now = clock.now();
  const onCall = await services.onCall.whoIsOnCall(scheduleId, now);
  const names = new Map(Object.entries(REFERENCE_PEOPLE).map(([key, person]) => [people[key as ReferencePerson], person.name]));
  log(`schedule "${FOLLOW_THE_SUN.name}" (${scheduleId}): on call at ${now.toISOString()}: ${[...onCall.primary, ...onCall.backups].map((id) => names.get(id)).join(', ')}`);
  log(`escalation policy "${REFERENCE_ESCALATION_CHAIN.name}" (${policyId}) on services: ${Object.keys(serviceIds).join(', ')}`);
  // communication cadence (#12)
  for (const cadence of REFERENCE_CADENCE) await services.communicationPolicies.update({ ...cadence });
  log(`communication cadence: ${REFERENCE_CADENCE.map(describeCadence).join('; ')}`);
  const windows = await seedMaintenance(services, db, clock, serviceIds);
  for (const window of windows) log(`maintenance "${window.title}" (${window.id}): ${window.kind}`);
  // status pages (#13): the public services show at once; an incident shows there once it has a PUBLIC update.
  log(`status pages: ${baseUrl}/status (main), ${baseUrl}/status/external; JSON at ${baseUrl}/status/api/v2/summary.json`);
  // post-incident review (#14)
  const reviewed = await seedReviewedIncident(services, db, serviceIds, people);
  log(`reviewed incident (${reviewed.incidentId}): IRF approved, RCA published at ${baseUrl}${reviewed.rcaPath ?? ' (not published)'}`);
  return { scheduleId, policyId, serviceIds, people, createdIntegrations, maintenanceWindowIds: windows.map((window) => window.id), reviewedIncidentId: reviewed.incidentId };
}

function describeCadence(cadence: (typeof REFERENCE_CADENCE)[number]): string {
  const every = (minutes: number | null, what: string) => (minutes === null ? null : `${what} ${minutes} min`);
  const parts = [
    every(cadence.firstPublicNoticeMinutes, 'first public notice'),
    every(cadence.publicUpdateMinutes, 'public every'),
    every(cadence.internalUpdateMinutes, 'internal every'),
    every(cadence.statusPageUpdateMinutes, 'status page every'),
    every(cadence.callMinutes, 'call every'),
    every(cadence.maintenanceUpdateMinutes, 'maintenance update every'),
    `grace ${cadence.escalationGraceMinutes} min`,
  ];
  return `${cadence.priority}: ${parts.filter(Boolean).join(', ')}`;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger('warn');
  // With the embedded database, a running server's PostgreSQL is used (that line is printed), else one is started.
  const database = await openDatabase(config, (line, level = 'debug') => level !== 'debug' && console.error(line));
  try {
    await runMigrations(database.dataSource);
    const services = createServices(database.dataSource, systemClock, { log, publicBaseUrl: publicBaseUrl(config), maintenanceCalendar: maintenanceCalendarConfig(config) });
    await database.dataSource.transaction(async (manager) => {
      // One seeding at a time, so two concurrent runs cannot both create the organisation.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('incident-bridge:seed-demo'))`);
      await seedDemo(services, database.dataSource, systemClock, publicBaseUrl(config));
    });
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof EmbeddedPostgresError ? error.message : error);
    process.exit(1);
  });
}
