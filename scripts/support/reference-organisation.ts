import type { DataSource } from 'typeorm';
import { EscalationTargetType, Vendor } from '../../src/schema/enums';
import { RotationUnit } from '../../src/schema/schedule.entity';
import type { Services } from '../../src/services';

/**
 * The reference organisation of ../shared/DOMAIN.md, the one `npm run seed:demo` loads, the paging benchmark
 * pages and the paging tests run on: the follow-the-sun rota in UTC with two backups, the six-step escalation
 * chain on every service, and an integration per monitoring tool.
 */

export const REFERENCE_PEOPLE = {
  stefania: { name: 'Stefania', email: 'stefania@demo.incident-bridge.dev', phone: '+351910000001', orgRole: 'On-call engineer' },
  rafael: { name: 'Rafael', email: 'rafael@demo.incident-bridge.dev', phone: '+351910000002', orgRole: 'On-call engineer' },
  abdul: { name: 'Abdul', email: 'abdul@demo.incident-bridge.dev', phone: '+351910000003', orgRole: 'On-call engineer' },
  helena: { name: 'Helena', email: 'helena@demo.incident-bridge.dev', phone: '+351910000004', orgRole: 'On-call backup' },
  luciane: { name: 'Luciane', email: 'luciane@demo.incident-bridge.dev', phone: '+351910000005', orgRole: 'On-call backup' },
  owner: { name: 'Sofia Owner', email: 'sofia@demo.incident-bridge.dev', phone: '+351910000010', orgRole: 'Service owner' },
  pm: { name: 'Pedro PM', email: 'pedro@demo.incident-bridge.dev', phone: '+351910000011', orgRole: 'PM' },
  devops: { name: 'DevOps on duty', email: 'devops@demo.incident-bridge.dev', phone: '+351910000012', orgRole: 'DevOps' },
  helpdesk: { name: 'Helpdesk', email: 'helpdesk@demo.incident-bridge.dev', phone: null, orgRole: 'Helpdesk' },
  cao: { name: 'Carla CAO', email: 'carla@demo.incident-bridge.dev', phone: '+351910000013', orgRole: 'CAO' },
  hoe: { name: 'Hugo HoE', email: 'hugo@demo.incident-bridge.dev', phone: '+351910000014', orgRole: 'Head of Engineering' },
  coo: { name: 'Olivia COO', email: 'olivia@demo.incident-bridge.dev', phone: '+351910000015', orgRole: 'COO' },
  cto: { name: 'Tiago CTO', email: 'tiago@demo.incident-bridge.dev', phone: '+351910000016', orgRole: 'CTO' },
} as const;

export type ReferencePerson = keyof typeof REFERENCE_PEOPLE;

/** Every day, in UTC: each shift is a daily layer restricted to its window; the backups are paged after whoever is on. */
export const FOLLOW_THE_SUN = {
  name: 'Follow the sun',
  timeZone: 'UTC',
  firstHandoff: '2026-01-01T00:00',
  shifts: [
    { person: 'stefania', start: '02:00', end: '10:00' },
    { person: 'rafael', start: '10:00', end: '18:00' },
    { person: 'abdul', start: '18:00', end: '02:00' },
  ],
  backups: ['helena', 'luciane'],
} as const;

export const REFERENCE_TEAM = {
  name: 'DevOps and Helpdesk',
  description: "Receives external providers' e-mails; opens the helpdesk ticket",
  members: ['devops', 'helpdesk'],
} as const;

type ChainTarget = { schedule: typeof FOLLOW_THE_SUN.name } | { team: typeof REFERENCE_TEAM.name } | { person: ReferencePerson };

/** Each step only if the previous one was not acknowledged within its delay; acknowledging stops the chain. */
export const REFERENCE_ESCALATION_CHAIN = {
  name: 'Reference escalation chain',
  description: 'On-call confirms → service owner → PM → DevOps and Helpdesk → CAO and Head of Engineering → COO and CTO',
  repeatCount: 0,
  steps: [
    { delayMinutes: 5, targets: [{ schedule: FOLLOW_THE_SUN.name }] },
    { delayMinutes: 10, targets: [{ person: 'owner' }] },
    { delayMinutes: 10, targets: [{ person: 'pm' }] },
    { delayMinutes: 15, targets: [{ team: REFERENCE_TEAM.name }] },
    { delayMinutes: 15, targets: [{ person: 'cao' }, { person: 'hoe' }] },
    { delayMinutes: 30, targets: [{ person: 'coo' }, { person: 'cto' }] },
  ],
} as const;

/** Owned by `owner`, all escalating through the reference chain. */
export const REFERENCE_SERVICES = [
  { name: 'SMS API', slug: 'sms-api', description: 'HTTP API for sending SMS', public: true },
  { name: 'SMPP gateway', slug: 'smpp-gateway', description: 'SMPP binds for high-volume senders', public: true },
  { name: 'Web app', slug: 'web-app', description: 'Customer portal', public: true },
] as const;

export type ReferenceService = (typeof REFERENCE_SERVICES)[number]['slug'];

export const REFERENCE_INTEGRATIONS = [
  { service: 'sms-api', name: 'Prometheus Alertmanager', vendor: Vendor.ALERTMANAGER },
  { service: 'sms-api', name: 'Generic (PagerDuty Events v2)', vendor: Vendor.GENERIC },
  { service: 'smpp-gateway', name: 'Azure Monitor', vendor: Vendor.AZURE_MONITOR },
  { service: 'web-app', name: 'Grafana', vendor: Vendor.GRAFANA },
] as const;

/** The index in FOLLOW_THE_SUN.shifts of the shift on call at `at`. */
export function followTheSunShiftAt(at: Date): number {
  const hour = at.getUTCHours();
  return FOLLOW_THE_SUN.shifts.findIndex((shift) => {
    const start = Number(shift.start.slice(0, 2));
    const end = Number(shift.end.slice(0, 2));
    return start < end ? hour >= start && hour < end : hour >= start || hour < end;
  });
}

export interface ReferenceOrganisation {
  people: Record<ReferencePerson, string>;
  scheduleId: string;
  teamId: string;
  policyId: string;
  serviceIds: Record<ReferenceService, string>;
  /** In the order of REFERENCE_INTEGRATIONS; the secret only when this call created the integration (it is shown once). */
  integrations: Array<{ name: string; service: ReferenceService; id: string; secret: string | null }>;
}

/**
 * Creates the reference organisation through the services. Whatever exists already is reused (people by e-mail,
 * the schedule, team and policy by name, services by slug, integrations by name within their service), so a second
 * run changes nothing.
 */
export async function createReferenceOrganisation(services: Services, db: DataSource): Promise<ReferenceOrganisation> {
  const existing = async (sql: string, params: unknown[]): Promise<string | null> => {
    const [row] = await db.query(sql, params);
    return row?.id ?? null;
  };

  const people = {} as Record<ReferencePerson, string>;
  for (const [key, person] of Object.entries(REFERENCE_PEOPLE) as Array<[ReferencePerson, (typeof REFERENCE_PEOPLE)[ReferencePerson]]>) {
    people[key] = (await existing(`SELECT id FROM person WHERE lower(email) = lower($1)`, [person.email])) ?? (await services.catalog.createPerson(person)).id;
  }

  const scheduleId =
    (await existing(`SELECT id FROM schedule WHERE name = $1`, [FOLLOW_THE_SUN.name])) ??
    (
      await services.schedules.create({
        name: FOLLOW_THE_SUN.name,
        timeZone: FOLLOW_THE_SUN.timeZone,
        layers: FOLLOW_THE_SUN.shifts.map((shift) => ({
          participants: [people[shift.person]],
          rotation: { unit: RotationUnit.DAYS, length: 1 },
          start: FOLLOW_THE_SUN.firstHandoff,
          restrictions: [{ start: shift.start, end: shift.end }],
        })),
        backupPersonIds: FOLLOW_THE_SUN.backups.map((key) => people[key]),
      })
    ).id;

  const teamId =
    (await existing(`SELECT id FROM team WHERE name = $1`, [REFERENCE_TEAM.name])) ??
    (await services.teams.create({ name: REFERENCE_TEAM.name, description: REFERENCE_TEAM.description, memberIds: REFERENCE_TEAM.members.map((key) => people[key]) })).id;

  const target = (chainTarget: ChainTarget) => {
    if ('schedule' in chainTarget) return { type: EscalationTargetType.SCHEDULE, id: scheduleId, includeBackups: false };
    if ('team' in chainTarget) return { type: EscalationTargetType.TEAM, id: teamId };
    return { type: EscalationTargetType.PERSON, id: people[chainTarget.person] };
  };
  const chain = REFERENCE_ESCALATION_CHAIN;
  const policyId =
    (await existing(`SELECT id FROM escalation_policy WHERE name = $1`, [chain.name])) ??
    (
      await services.paging.createPolicy({
        name: chain.name,
        description: chain.description,
        repeatCount: chain.repeatCount,
        steps: chain.steps.map((step) => ({ delayMinutes: step.delayMinutes, targets: step.targets.map(target) })),
      })
    ).id;

  const serviceIds = {} as Record<ReferenceService, string>;
  for (const service of REFERENCE_SERVICES) {
    const id = (await existing(`SELECT id FROM service WHERE slug = $1`, [service.slug])) ?? (await services.catalog.createService({ ...service, ownerId: people.owner })).id;
    await services.paging.setServicePolicy(id, policyId);
    serviceIds[service.slug] = id;
  }

  const integrations: ReferenceOrganisation['integrations'] = [];
  for (const integration of REFERENCE_INTEGRATIONS) {
    const serviceId = serviceIds[integration.service];
    const id = await existing(`SELECT id FROM integration WHERE name = $1 AND service_id = $2`, [integration.name, serviceId]);
    if (id) {
      integrations.push({ name: integration.name, service: integration.service, id, secret: null });
      continue;
    }
    const created = await services.integrations.create({ name: integration.name, vendor: integration.vendor, serviceId });
    integrations.push({ name: integration.name, service: integration.service, id: created.integration.id, secret: created.secret });
  }

  return { people, scheduleId, teamId, policyId, serviceIds, integrations };
}
