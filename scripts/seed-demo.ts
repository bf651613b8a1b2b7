import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { loadConfig, publicBaseUrl } from '../src/config';
import { runMigrations } from '../src/db/data-source';
import { EmbeddedPostgresError } from '../src/db/embedded-postgres';
import { openDatabase } from '../src/db/open-database';
import { createLogger } from '../src/logger';
import { EscalationTargetType, VendorKind } from '../src/schema/enums';
import { RotationUnit } from '../src/schema/schedule.entity';
import { createServices, type Services } from '../src/services';
import { systemClock } from '../src/shared/clock';

/**
 * Loads the reference organisation (../shared/DOMAIN.md): the follow-the-sun rota in UTC with
 * backups, the six-step escalation chain, services and integrations. Safe to run twice: whatever
 * exists (by e-mail, name or slug) is reused, not duplicated.
 */
const PEOPLE = [
  { key: 'stefania', name: 'Stefania', email: 'stefania@demo.incident-bridge.dev', phone: '+351910000001', orgRole: 'On-call engineer' },
  { key: 'rafael', name: 'Rafael', email: 'rafael@demo.incident-bridge.dev', phone: '+351910000002', orgRole: 'On-call engineer' },
  { key: 'abdul', name: 'Abdul', email: 'abdul@demo.incident-bridge.dev', phone: '+351910000003', orgRole: 'On-call engineer' },
  { key: 'helena', name: 'Helena', email: 'helena@demo.incident-bridge.dev', phone: '+351910000004', orgRole: 'On-call backup' },
  { key: 'luciane', name: 'Luciane', email: 'luciane@demo.incident-bridge.dev', phone: '+351910000005', orgRole: 'On-call backup' },
  { key: 'owner', name: 'Sofia Owner', email: 'sofia@demo.incident-bridge.dev', phone: '+351910000010', orgRole: 'Service owner' },
  { key: 'pm', name: 'Pedro PM', email: 'pedro@demo.incident-bridge.dev', phone: '+351910000011', orgRole: 'PM' },
  { key: 'devops', name: 'DevOps on duty', email: 'devops@demo.incident-bridge.dev', phone: '+351910000012', orgRole: 'DevOps' },
  { key: 'helpdesk', name: 'Helpdesk', email: 'helpdesk@demo.incident-bridge.dev', phone: null, orgRole: 'Helpdesk' },
  { key: 'cao', name: 'Carla CAO', email: 'carla@demo.incident-bridge.dev', phone: '+351910000013', orgRole: 'CAO' },
  { key: 'hoe', name: 'Hugo HoE', email: 'hugo@demo.incident-bridge.dev', phone: '+351910000014', orgRole: 'Head of Engineering' },
  { key: 'coo', name: 'Olivia COO', email: 'olivia@demo.incident-bridge.dev', phone: '+351910000015', orgRole: 'COO' },
  { key: 'cto', name: 'Tiago CTO', email: 'tiago@demo.incident-bridge.dev', phone: '+351910000016', orgRole: 'CTO' },
] as const;

type PersonKey = (typeof PEOPLE)[number]['key'];

const SERVICES = [
  { name: 'SMS API', slug: 'sms-api', description: 'HTTP API for sending SMS', public: true },
  { name: 'SMPP gateway', slug: 'smpp-gateway', description: 'SMPP binds for high-volume senders', public: true },
  { name: 'Web app', slug: 'web-app', description: 'Customer portal', public: true },
];

const INTEGRATIONS = [
  { service: 'sms-api', name: 'Prometheus Alertmanager', vendor: VendorKind.ALERTMANAGER },
  { service: 'sms-api', name: 'Generic (PagerDuty Events v2)', vendor: VendorKind.GENERIC },
  { service: 'smpp-gateway', name: 'Azure Monitor', vendor: VendorKind.AZURE_MONITOR },
  { service: 'web-app', name: 'Grafana', vendor: VendorKind.GRAFANA },
];

async function idOf(db: DataSource, sql: string, params: unknown[]): Promise<string | null> {
  const [row] = await db.query(sql, params);
  return row?.id ?? null;
}

export interface SeededDemo {
  scheduleId: string;
  policyId: string;
  serviceIds: Record<string, string>;
  people: Record<PersonKey, string>;
  /** Integrations created by this run, with their secrets (shown once). */
  createdIntegrations: Array<{ name: string; id: string; secret: string }>;
}

export async function seedDemo(services: Services, db: DataSource, baseUrl: string, log: (line: string) => void = console.log): Promise<SeededDemo> {
  const people = {} as Record<PersonKey, string>;
  for (const { key, ...person } of PEOPLE) {
    people[key] = (await idOf(db, `SELECT id FROM person WHERE lower(email) = lower($1)`, [person.email])) ?? (await services.catalog.createPerson(person)).id;
  }

  const shift = (personId: string, start: string, end: string) => ({
    participants: [personId],
    rotation: { unit: RotationUnit.DAYS, length: 1 },
    start: '2026-01-01T00:00',
    restrictions: [{ start, end }],
  });
  const scheduleId =
    (await idOf(db, `SELECT id FROM schedule WHERE name = $1`, ['Follow the sun'])) ??
    (
      await services.schedules.create({
        name: 'Follow the sun',
        timeZone: 'UTC',
        layers: [shift(people.stefania, '02:00', '10:00'), shift(people.rafael, '10:00', '18:00'), shift(people.abdul, '18:00', '02:00')],
        backupPersonIds: [people.helena, people.luciane],
      })
    ).id;

  const person = (key: PersonKey) => ({ type: EscalationTargetType.PERSON, id: people[key] });
  const teamId =
    (await idOf(db, `SELECT id FROM team WHERE name = $1`, ['DevOps and Helpdesk'])) ??
    (await services.teams.create({ name: 'DevOps and Helpdesk', description: 'Receives external providers\' e-mails; opens the helpdesk ticket', memberIds: [people.devops, people.helpdesk] })).id;
  const policyId =
    (await idOf(db, `SELECT id FROM escalation_policy WHERE name = $1`, ['Reference escalation chain'])) ??
    (
      await services.paging.createPolicy({
        name: 'Reference escalation chain',
        description: 'On-call confirms → service owner → PM → DevOps and Helpdesk → CAO and Head of Engineering → COO and CTO',
        repeatCount: 0,
        steps: [
          { delayMinutes: 5, targets: [{ type: EscalationTargetType.SCHEDULE, id: scheduleId, includeBackups: false }] },
          { delayMinutes: 10, targets: [person('owner')] },
          { delayMinutes: 10, targets: [person('pm')] },
          { delayMinutes: 15, targets: [{ type: EscalationTargetType.TEAM, id: teamId }] },
          { delayMinutes: 15, targets: [person('cao'), person('hoe')] },
          { delayMinutes: 30, targets: [person('coo'), person('cto')] },
        ],
      })
    ).id;

  const serviceIds: Record<string, string> = {};
  for (const service of SERVICES) {
    const id = (await idOf(db, `SELECT id FROM service WHERE slug = $1`, [service.slug])) ?? (await services.catalog.createService({ ...service, ownerId: people.owner })).id;
    await services.paging.setServicePolicy(id, policyId);
    serviceIds[service.slug] = id;
  }

  const createdIntegrations: SeededDemo['createdIntegrations'] = [];
  for (const integration of INTEGRATIONS) {
    const existing = await idOf(db, `SELECT id FROM integration WHERE name = $1 AND service_id = $2`, [integration.name, serviceIds[integration.service]]);
    if (existing) {
      log(`integration "${integration.name}" exists: ${baseUrl}/webhooks/${existing} (secret shown only when it was created)`);
      continue;
    }
    const { integration: created, secret } = await services.integrations.create({ name: integration.name, vendor: integration.vendor, serviceId: serviceIds[integration.service] });
    log(`integration "${integration.name}": ${baseUrl}/webhooks/${created.id}  secret: ${secret}`);
    createdIntegrations.push({ name: integration.name, id: created.id, secret });
  }

  const now = services.clock.now();
  const onCall = await services.onCall.whoIsOnCall(scheduleId, now);
  const names = new Map(PEOPLE.map((p) => [people[p.key], p.name]));
  log(`schedule "Follow the sun" (${scheduleId}): on call at ${now.toISOString()}: ${[...onCall.primary, ...onCall.backups].map((id) => names.get(id)).join(', ')}`);
  log(`escalation policy "Reference escalation chain" (${policyId}) on services: ${Object.keys(serviceIds).join(', ')}`);
  return { scheduleId, policyId, serviceIds, people, createdIntegrations };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger('warn');
  // With the embedded database, a running server's PostgreSQL is used (that line is printed), else one is started.
  const database = await openDatabase(config, (line, level = 'debug') => level !== 'debug' && console.error(line));
  try {
    await runMigrations(database.dataSource);
    const services = createServices(database.dataSource, systemClock, { log, publicBaseUrl: publicBaseUrl(config) });
    await database.dataSource.transaction(async (manager) => {
      // One seeding at a time, so two concurrent runs cannot both create the organisation.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('incident-bridge:seed-demo'))`);
      await seedDemo(services, database.dataSource, publicBaseUrl(config));
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
