import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildGraphQLSchema } from '../../src/graphql/build-schema';
import { AuditTargetType } from '../../src/schema/enums';
import { ChannelKind, EscalationTargetType, Role, Vendor } from '../../src/schema/enums';
import type { Person } from '../../src/schema/person.entity';
import { RotationUnit, type Schedule } from '../../src/schema/schedule.entity';
import { MAINTENANCE_CALENDAR_ID } from '../../src/services/maintenance/maintenance-calendar.service';
import { REVIEW_SETTINGS_ID } from '../../src/services/review/review-settings.service';
import { SYSTEM_AUDIT } from '../../src/shared/audit-context';
import { ManualClock } from '../../src/shared/clock';
import { hashSecret } from '../../src/shared/secrets';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Incident actions are left out of the audit log on purpose: each already writes the incident's timeline with
 * its actor. Every other mutation changes configuration and must have a case below.
 */
const INCIDENT_ACTIONS = [
  'acknowledgeIncident',
  'addMitigationStep',
  'addTimelineNote',
  'declareIncident',
  'escalateIncident',
  'markIncidentReviewed',
  'mitigateIncident',
  'postStatusUpdate',
  'recordIncidentCall',
  'resolveIncident',
  'updateIncident',
  'updateMitigationStep',
];

/**
 * Running a maintenance window is operational, like an incident action: each of these writes the window's own
 * timeline with its actor. The calendar that classifies windows is configuration and has a case below.
 */
const MAINTENANCE_ACTIONS = ['scheduleMaintenance', 'updateMaintenance', 'startMaintenance', 'extendMaintenance', 'completeMaintenance', 'cancelMaintenance', 'postMaintenanceUpdate'];

/** Follow-up work is operational too: a task's changes are on its incident's timeline (from → to, with the actor). */
/** So is the review: every IRF and RCA edit and step is kept in review_edit (who, when, which section, what changed). */
const TASK_ACTIONS = ['createTask', 'updateTask', 'openReview', 'updateReviewSection', 'submitReview', 'approveReview', 'reopenReview', 'generateRca', 'updateRca', 'submitRca', 'publishRca'];

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Expected {
  action: string;
  targetType: AuditTargetType;
  targetId: string;
  changes: Record<string, { before: unknown; after: unknown }>;
}

interface Prepared {
  variables: Record<string, unknown>;
  expected: (data: Data) => Expected;
}

interface MutationCase {
  document: string;
  /** Creates what the mutation acts on (as the system, through the services). */
  prepare: () => Promise<Prepared>;
}

interface AuditEntryView {
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  actorPerson: { id: string } | null;
  action: string;
  targetType: string;
  targetId: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  requestId: string | null;
}

const ENTRY_FIELDS = 'id occurredAt actorType actorId actorLabel actorPerson { id } action targetType targetId changes requestId';
const AUDIT_LOG = `query($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ENTRY_FIELDS} } } }
}`;
const START = '2026-03-01T09:00';
const SLACK_URL = 'https://hooks.slack.com/services/T0AUDIT/B0AUDIT/slack-url-secret-part';
const VENDOR_CREDENTIAL = 'twilio-auth-token-plaintext-0123456789';

describe('audit log', () => {
  const clock = new ManualClock('2026-03-10T12:00:00Z');
  let t: TestApp;
  let dana: Person;
  let actor: { id: string; secret: string };
  /** Every secret the tests handle: none may appear in any audit entry, nor its hash. */
  const secrets: string[] = [SLACK_URL, VENDOR_CREDENTIAL];
  let unique = 0;
  const next = () => (unique += 1);

  beforeAll(async () => {
    t = await startTestApp({ clock });
    secrets.push(t.adminToken);
    dana = await t.app.services.catalog.createPerson({ name: 'Dana Admin', email: 'dana@example.com' });
    const { token, secret } = await t.app.services.tokens.create({ name: 'Dana (admin)', role: Role.ADMIN, personId: dana.id });
    actor = { id: token.id, secret };
    secrets.push(secret);
  });
  afterAll(() => t.close());

  const services = () => t.app.services;
  const person = (name = `Person ${next()}`) => services().catalog.createPerson({ name, email: `person-${next()}@example.com` });
  const catalogService = () => services().catalog.createService({ name: `Service ${next()}`, slug: `service-${next()}` });
  const recurrence = async () =>
    services().maintenanceRecurrences.create({
      title: `Patch night ${next()}`,
      serviceIds: [(await catalogService()).id],
      teamId: (await services().teams.create({ name: `Team ${next()}`, memberIds: [] })).id,
      weekdays: [6],
      startTime: '22:00',
      durationMinutes: 60,
      zone: 'UTC',
      horizonDays: 7,
    });
  const layer = (participants: string[]) => ({ participants, rotation: { unit: RotationUnit.DAYS, length: 1 }, start: START });
  const schedule = async (): Promise<Schedule> => services().schedules.create({ name: `Rota ${next()}`, timeZone: 'UTC', layers: [layer([(await person()).id])] });
  const personStep = (id: string, delayMinutes: number) => ({ delayMinutes, targets: [{ type: EscalationTargetType.PERSON, id }] });
  const integration = async () => services().integrations.create({ name: `Integration ${next()}`, vendor: Vendor.GENERIC, serviceId: (await catalogService()).id });
  const created = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([field, after]) => [field, { before: null, after }]));
  const deleted = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([field, before]) => [field, { before, after: null }]));

  async function mutate(document: string, variables: Record<string, unknown>, requestId: string, secret = actor.secret) {
    const response = await request(t.url).post('/graphql').set('Authorization', `Bearer ${secret}`).set('X-Request-Id', requestId).send({ query: document, variables });
    return { status: response.status, data: response.body.data as Data, errors: response.body.errors as Array<{ message: string; extensions?: { code?: string; field?: string } }> | undefined };
  }

  async function entriesOfRequest(requestId: string): Promise<Array<{ id: string }>> {
    return t.app.db.query(`SELECT id FROM audit_entry WHERE request_id = $1`, [requestId]);
  }

  async function auditLog(variables: Record<string, unknown>, token = t.adminToken) {
    return t.gql<{ auditLog: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ cursor: string; node: AuditEntryView }> } }>(AUDIT_LOG, variables, token);
  }

  const CASES: Record<string, MutationCase> = {
    createSchedule: {
      document: `mutation($input: CreateScheduleInput!) { createSchedule(input: $input) { schedule { id layers { id } } } }`,
      prepare: async () => {
        const p = await person();
        return {
          variables: { input: { name: 'Night rota', timeZone: 'UTC', layers: [{ participants: [p.id], rotation: { unit: 'DAYS', length: 1 }, start: START }] } },
          expected: (data) => {
            const { id, layers } = data.createSchedule.schedule;
            const layerFields = { id: layers[0].id, scheduleId: id, name: 'Layer 1', priority: 0, participantIds: [p.id], rotation: { unit: 'DAYS', length: 1 }, start: START, restrictions: [] };
            return { action: 'schedule.create', targetType: AuditTargetType.SCHEDULE, targetId: id, changes: created({ name: 'Night rota', timeZone: 'UTC', backupPersonIds: [], layers: [layerFields] }) };
          },
        };
      },
    },
    updateSchedule: {
      document: `mutation($input: UpdateScheduleInput!) { updateSchedule(input: $input) { schedule { id } } }`,
      prepare: async () => {
        const s = await schedule();
        const backup = await person();
        return {
          variables: { input: { id: s.id, timeZone: 'Europe/Lisbon', backupPersonIds: [backup.id] } },
          expected: () => ({
            action: 'schedule.update',
            targetType: AuditTargetType.SCHEDULE,
            targetId: s.id,
            changes: { timeZone: { before: 'UTC', after: 'Europe/Lisbon' }, backupPersonIds: { before: [], after: [backup.id] } },
          }),
        };
      },
    },
    deleteSchedule: {
      document: `mutation($input: DeleteScheduleInput!) { deleteSchedule(input: $input) { deletedScheduleId } }`,
      prepare: async () => {
        const s = await schedule();
        return {
          variables: { input: { id: s.id } },
          expected: () => ({
            action: 'schedule.delete',
            targetType: AuditTargetType.SCHEDULE,
            targetId: s.id,
            changes: deleted({ name: s.name, timeZone: 'UTC', backupPersonIds: [], layers: [expect.objectContaining({ id: s.layers[0].id, participantIds: s.layers[0].participantIds })] }),
          }),
        };
      },
    },
    addScheduleLayer: {
      document: `mutation($input: AddScheduleLayerInput!) { addScheduleLayer(input: $input) { layer { id } } }`,
      prepare: async () => {
        const s = await schedule();
        const p = await person();
        return {
          variables: { input: { scheduleId: s.id, layer: { name: 'Weekly backup', priority: 1, participants: [p.id], rotation: { unit: 'WEEKS', length: 1 }, start: '2026-03-02T08:00' } } },
          expected: (data) => ({
            action: 'scheduleLayer.create',
            targetType: AuditTargetType.SCHEDULE_LAYER,
            targetId: data.addScheduleLayer.layer.id,
            changes: created({ scheduleId: s.id, name: 'Weekly backup', priority: 1, participantIds: [p.id], rotation: { unit: 'WEEKS', length: 1 }, start: '2026-03-02T08:00', restrictions: [] }),
          }),
        };
      },
    },
    updateScheduleLayer: {
      document: `mutation($input: UpdateScheduleLayerInput!) { updateScheduleLayer(input: $input) { layer { id } } }`,
      prepare: async () => {
        const s = await schedule();
        const p = await person();
        const [existing] = s.layers;
        return {
          variables: { input: { id: existing.id, participants: [p.id], restrictions: [{ start: '09:00', end: '17:00' }] } },
          expected: () => ({
            action: 'scheduleLayer.update',
            targetType: AuditTargetType.SCHEDULE_LAYER,
            targetId: existing.id,
            changes: { participantIds: { before: existing.participantIds, after: [p.id] }, restrictions: { before: [], after: [{ start: '09:00', end: '17:00' }] } },
          }),
        };
      },
    },
    removeScheduleLayer: {
      document: `mutation($input: RemoveScheduleLayerInput!) { removeScheduleLayer(input: $input) { schedule { id } } }`,
      prepare: async () => {
        const s = await schedule();
        const { layer: second } = await services().schedules.addLayer(s.id, layer([(await person()).id]));
        return {
          variables: { input: { id: second.id } },
          expected: () => ({
            action: 'scheduleLayer.delete',
            targetType: AuditTargetType.SCHEDULE_LAYER,
            targetId: second.id,
            changes: deleted({ scheduleId: s.id, name: 'Layer 2', priority: 0, participantIds: second.participantIds, rotation: { unit: 'DAYS', length: 1 }, start: START, restrictions: [] }),
          }),
        };
      },
    },
    createScheduleOverride: {
      document: `mutation($input: CreateScheduleOverrideInput!) { createScheduleOverride(input: $input) { scheduleOverride { id } } }`,
      prepare: async () => {
        const s = await schedule();
        const p = await person();
        const window = { start: '2026-04-01T00:00:00.000Z', end: '2026-04-02T00:00:00.000Z' };
        return {
          variables: { input: { scheduleId: s.id, personId: p.id, ...window } },
          expected: (data) => ({
            action: 'scheduleOverride.create',
            targetType: AuditTargetType.SCHEDULE_OVERRIDE,
            targetId: data.createScheduleOverride.scheduleOverride.id,
            changes: created({ scheduleId: s.id, personId: p.id, ...window }),
          }),
        };
      },
    },
    deleteScheduleOverride: {
      document: `mutation($input: DeleteScheduleOverrideInput!) { deleteScheduleOverride(input: $input) { deletedOverrideId } }`,
      prepare: async () => {
        const s = await schedule();
        const p = await person();
        const { scheduleOverride } = await services().schedules.createOverride({ scheduleId: s.id, personId: p.id, start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-04-03T00:00:00Z') });
        return {
          variables: { input: { id: scheduleOverride.id } },
          expected: () => ({
            action: 'scheduleOverride.delete',
            targetType: AuditTargetType.SCHEDULE_OVERRIDE,
            targetId: scheduleOverride.id,
            changes: deleted({ scheduleId: s.id, personId: p.id, start: '2026-04-01T00:00:00.000Z', end: '2026-04-03T00:00:00.000Z' }),
          }),
        };
      },
    },
    createEscalationPolicy: {
      document: `mutation($input: CreateEscalationPolicyInput!) { createEscalationPolicy(input: $input) { escalationPolicy { id } } }`,
      prepare: async () => {
        const p = await person();
        return {
          variables: { input: { name: 'Payments chain', steps: [{ delayMinutes: 5, targets: [{ type: 'PERSON', id: p.id }] }] } },
          expected: (data) => ({
            action: 'escalationPolicy.create',
            targetType: AuditTargetType.ESCALATION_POLICY,
            targetId: data.createEscalationPolicy.escalationPolicy.id,
            changes: created({ name: 'Payments chain', repeatCount: 0, steps: [{ delayMinutes: 5, targets: [{ type: 'PERSON', id: p.id, includeBackups: false }] }] }),
          }),
        };
      },
    },
    updateEscalationPolicy: {
      document: `mutation($input: UpdateEscalationPolicyInput!) { updateEscalationPolicy(input: $input) { escalationPolicy { id } } }`,
      prepare: async () => {
        const p = await person();
        const policy = await services().paging.createPolicy({ name: `Chain ${next()}`, steps: [personStep(p.id, 5)] });
        return {
          variables: { input: { id: policy.id, name: policy.name, steps: [{ delayMinutes: 30, targets: [{ type: 'PERSON', id: p.id }] }] } },
          expected: () => ({
            action: 'escalationPolicy.update',
            targetType: AuditTargetType.ESCALATION_POLICY,
            targetId: policy.id,
            changes: {
              steps: {
                before: [{ delayMinutes: 5, targets: [{ type: 'PERSON', id: p.id, includeBackups: false }] }],
                after: [{ delayMinutes: 30, targets: [{ type: 'PERSON', id: p.id, includeBackups: false }] }],
              },
            },
          }),
        };
      },
    },
    deleteEscalationPolicy: {
      document: `mutation($input: RemoveInput!) { deleteEscalationPolicy(input: $input) { removed } }`,
      prepare: async () => {
        const p = await person();
        const policy = await services().paging.createPolicy({ name: `Chain ${next()}`, steps: [personStep(p.id, 10)] });
        return {
          variables: { input: { id: policy.id } },
          expected: () => ({
            action: 'escalationPolicy.delete',
            targetType: AuditTargetType.ESCALATION_POLICY,
            targetId: policy.id,
            changes: deleted({ name: policy.name, repeatCount: 0, steps: [{ delayMinutes: 10, targets: [{ type: 'PERSON', id: p.id, includeBackups: false }] }] }),
          }),
        };
      },
    },
    setServiceEscalationPolicy: {
      document: `mutation($input: SetServiceEscalationPolicyInput!) { setServiceEscalationPolicy(input: $input) { service { id } } }`,
      prepare: async () => {
        const service = await catalogService();
        const policy = await services().paging.createPolicy({ name: `Chain ${next()}`, steps: [personStep((await person()).id, 5)] });
        return {
          variables: { input: { serviceId: service.id, escalationPolicyId: policy.id } },
          expected: () => ({
            action: 'service.setEscalationPolicy',
            targetType: AuditTargetType.SERVICE,
            targetId: service.id,
            changes: { escalationPolicyId: { before: null, after: policy.id } },
          }),
        };
      },
    },
    addContactMethod: {
      document: `mutation($input: AddContactMethodInput!) { addContactMethod(input: $input) { contactMethod { id } } }`,
      prepare: async () => {
        const p = await person();
        return {
          variables: { input: { personId: p.id, channel: 'SLACK', address: SLACK_URL, label: 'ops' } },
          expected: (data) => ({
            action: 'contactMethod.create',
            targetType: AuditTargetType.CONTACT_METHOD,
            targetId: data.addContactMethod.contactMethod.id,
            changes: created({ personId: p.id, channel: 'SLACK', address: '[redacted]', label: 'ops' }),
          }),
        };
      },
    },
    removeContactMethod: {
      document: `mutation($input: RemoveInput!) { removeContactMethod(input: $input) { removed } }`,
      prepare: async () => {
        const p = await person();
        const method = await services().paging.addContactMethod({ personId: p.id, channel: ChannelKind.SMS, address: '+351912345678' });
        return {
          variables: { input: { id: method.id } },
          expected: () => ({
            action: 'contactMethod.delete',
            targetType: AuditTargetType.CONTACT_METHOD,
            targetId: method.id,
            changes: deleted({ personId: p.id, channel: 'SMS', address: '+351912345678' }),
          }),
        };
      },
    },
    addNotificationRule: {
      document: `mutation($input: AddNotificationRuleInput!) { addNotificationRule(input: $input) { notificationRule { id } } }`,
      prepare: async () => {
        const p = await person();
        const method = await services().paging.addContactMethod({ personId: p.id, channel: ChannelKind.EMAIL, address: 'rota@example.com' });
        return {
          variables: { input: { contactMethodId: method.id, delayMinutes: 5 } },
          expected: (data) => ({
            action: 'notificationRule.create',
            targetType: AuditTargetType.NOTIFICATION_RULE,
            targetId: data.addNotificationRule.notificationRule.id,
            changes: created({ personId: p.id, contactMethodId: method.id, delayMinutes: 5 }),
          }),
        };
      },
    },
    removeNotificationRule: {
      document: `mutation($input: RemoveInput!) { removeNotificationRule(input: $input) { removed } }`,
      prepare: async () => {
        const p = await person();
        const method = await services().paging.addContactMethod({ personId: p.id, channel: ChannelKind.EMAIL, address: 'rota@example.com' });
        const rule = await services().paging.addNotificationRule({ contactMethodId: method.id, delayMinutes: 0 });
        return {
          variables: { input: { id: rule.id } },
          expected: () => ({
            action: 'notificationRule.delete',
            targetType: AuditTargetType.NOTIFICATION_RULE,
            targetId: rule.id,
            changes: deleted({ personId: p.id, contactMethodId: method.id, delayMinutes: 0 }),
          }),
        };
      },
    },
    createService: {
      document: `mutation($input: CreateServiceInput!) { createService(input: $input) { service { id } } }`,
      prepare: async () => {
        const owner = await person();
        return {
          variables: { input: { name: 'Payments API', slug: 'payments-api', public: true, ownerId: owner.id } },
          expected: (data) => ({
            action: 'service.create',
            targetType: AuditTargetType.SERVICE,
            targetId: data.createService.service.id,
            changes: created({ name: 'Payments API', slug: 'payments-api', public: true, ownerId: owner.id }),
          }),
        };
      },
    },
    updateService: {
      document: `mutation($input: UpdateServiceInput!) { updateService(input: $input) { service { id } } }`,
      prepare: async () => {
        const service = await catalogService();
        return {
          variables: { input: { id: service.id, description: 'Card payments', public: true, offPeakHours: { zone: 'Europe/Lisbon', intervals: [{ day: 7, start: '01:00', end: '05:00' }] } } },
          expected: () => ({
            action: 'service.update',
            targetType: AuditTargetType.SERVICE,
            targetId: service.id,
            changes: {
              description: { before: null, after: 'Card payments' },
              public: { before: false, after: true },
              offPeakHours: { before: null, after: { zone: 'Europe/Lisbon', intervals: [{ day: 7, start: '01:00', end: '05:00' }] } },
            },
          }),
        };
      },
    },
    updateMaintenanceCalendar: {
      document: `mutation($input: UpdateMaintenanceCalendarInput!) { updateMaintenanceCalendar(input: $input) { calendar { region } } }`,
      prepare: async () => {
        const before = await services().maintenanceCalendar.current();
        const region = before.region === 'PT' ? 'DE-BY' : 'PT';
        return {
          variables: { input: { region, extraDates: ['2026-12-24', '2026-12-24'] } },
          expected: () => ({
            action: 'maintenanceCalendar.update',
            targetType: AuditTargetType.MAINTENANCE_CALENDAR,
            targetId: MAINTENANCE_CALENDAR_ID,
            changes: { region: { before: before.region, after: region }, extraDates: { before: before.extraDates, after: ['2026-12-24'] } },
          }),
        };
      },
    },
    createCauseCategory: {
      document: `mutation($input: CreateCauseCategoryInput!) { createCauseCategory(input: $input) { causeCategory { id } } }`,
      prepare: async () => {
        const name = `Cause ${next()}`;
        return {
          variables: { input: { name, description: 'Audited', position: 500 } },
          expected: (data) => ({
            action: 'causeCategory.create',
            targetType: AuditTargetType.CAUSE_CATEGORY,
            targetId: data.createCauseCategory.causeCategory.id,
            changes: created({ name, description: 'Audited', position: 500, archived: false }),
          }),
        };
      },
    },
    updateCauseCategory: {
      document: `mutation($input: UpdateCauseCategoryInput!) { updateCauseCategory(input: $input) { causeCategory { id } } }`,
      prepare: async () => {
        const category = await services().causeCategories.create({ name: `Cause ${next()}` });
        return {
          variables: { input: { id: category.id, archived: true } },
          expected: () => ({ action: 'causeCategory.update', targetType: AuditTargetType.CAUSE_CATEGORY, targetId: category.id, changes: { archived: { before: false, after: true } } }),
        };
      },
    },
    createAnalyticsLink: {
      document: `mutation($from: DateTime!, $to: DateTime!) { createAnalyticsLink(from: $from, to: $to, timeZone: "Europe/Lisbon", expiresInSeconds: 600) { path expiresAt } }`,
      prepare: async () => ({
        variables: { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
        expected: (data) => {
          // The link names itself in what it carries (q, signed): that id is the audit entry's target.
          const targetId = JSON.parse(Buffer.from(new URLSearchParams(data.createAnalyticsLink.path.split('?')[1]).get('q')!, 'base64url').toString()).id;
          return {
            action: 'analyticsLink.create',
            targetType: AuditTargetType.ANALYTICS_LINK,
            targetId,
            changes: created({
              from: '2026-01-01T00:00:00.000Z',
              to: '2026-02-01T00:00:00.000Z',
              timeZone: 'Europe/Lisbon',
              filter: { serviceIds: [], priorities: [], sources: [], statuses: [], integrationIds: [] },
              expiresAt: data.createAnalyticsLink.expiresAt,
            }),
          };
        },
      }),
    },
    updateReviewSettings: {
      document: `mutation($input: UpdateReviewSettingsInput!) { updateReviewSettings(input: $input) { settings { dueBusinessDays } } }`,
      prepare: async () => {
        const before = await services().reviewSettings.current();
        const reviewer = await person();
        const dueBusinessDays = before.dueBusinessDays === 7 ? 8 : 7;
        return {
          variables: { input: { dueBusinessDays, reviewerId: reviewer.id } },
          expected: () => ({
            action: 'reviewSettings.update',
            targetType: AuditTargetType.REVIEW_SETTINGS,
            targetId: REVIEW_SETTINGS_ID,
            changes: { dueBusinessDays: { before: before.dueBusinessDays, after: dueBusinessDays }, reviewerId: { before: before.reviewerId, after: reviewer.id } },
          }),
        };
      },
    },
    createStatusPage: {
      document: `mutation($input: CreateStatusPageInput!) { createStatusPage(input: $input) { statusPage { id } } }`,
      prepare: async () => {
        const service = await services().catalog.createService({ name: `Public ${next()}`, slug: `public-${next()}`, public: true });
        const slug = `page-${next()}`;
        return {
          variables: { input: { slug, title: 'Partners', timeZone: 'Europe/Lisbon', components: [{ serviceId: service.id, group: 'API' }] } },
          expected: (data) => ({
            action: 'statusPage.create',
            targetType: AuditTargetType.STATUS_PAGE,
            targetId: data.createStatusPage.statusPage.id,
            changes: created({
              slug,
              title: 'Partners',
              timeZone: 'Europe/Lisbon',
              kind: 'SERVICES',
              components: [{ serviceId: service.id, group: 'API', position: 0, providerName: null, providerUrl: null }],
            }),
          }),
        };
      },
    },
    updateStatusPage: {
      document: `mutation($input: UpdateStatusPageInput!) { updateStatusPage(input: $input) { statusPage { id } } }`,
      prepare: async () => {
        const page = await services().statusPages.create({ slug: `page-${next()}`, title: 'Before' });
        return {
          variables: { input: { id: page.id, title: 'After', components: [] } },
          expected: () => ({
            action: 'statusPage.update',
            targetType: AuditTargetType.STATUS_PAGE,
            targetId: page.id,
            changes: { title: { before: 'Before', after: 'After' }, components: { before: [], after: [] } },
          }),
        };
      },
    },
    createMaintenanceRecurrence: {
      document: `mutation($input: CreateMaintenanceRecurrenceInput!) { createMaintenanceRecurrence(input: $input) { maintenanceRecurrence { id } } }`,
      prepare: async () => {
        const service = await catalogService();
        const team = await services().teams.create({ name: `Team ${next()}`, memberIds: [] });
        return {
          variables: { input: { title: 'Patch night', serviceIds: [service.id], teamId: team.id, weekdays: [4, 2, 2], startTime: '22:00', durationMinutes: 120, zone: 'Europe/Lisbon' } },
          expected: (data) => ({
            action: 'maintenanceRecurrence.create',
            targetType: AuditTargetType.MAINTENANCE_RECURRENCE,
            targetId: data.createMaintenanceRecurrence.maintenanceRecurrence.id,
            changes: created({
              title: 'Patch night',
              services: [{ serviceId: service.id, impact: 'DEGRADED' }],
              teamId: team.id,
              incidentPriority: 'P1',
              weekdays: [2, 4],
              startTime: '22:00',
              durationMinutes: 120,
              zone: 'Europe/Lisbon',
              horizonDays: 28,
              active: true,
            }),
          }),
        };
      },
    },
    updateMaintenanceRecurrence: {
      document: `mutation($input: UpdateMaintenanceRecurrenceInput!) { updateMaintenanceRecurrence(input: $input) { maintenanceRecurrence { id } } }`,
      prepare: async () => {
        const rule = await recurrence();
        return {
          variables: { input: { id: rule.id, startTime: '23:30', active: false, horizonDays: 7 } },
          expected: () => ({
            action: 'maintenanceRecurrence.update',
            targetType: AuditTargetType.MAINTENANCE_RECURRENCE,
            targetId: rule.id,
            changes: { startTime: { before: '22:00', after: '23:30' }, active: { before: true, after: false } },
          }),
        };
      },
    },
    deleteMaintenanceRecurrence: {
      document: `mutation($input: RemoveInput!) { deleteMaintenanceRecurrence(input: $input) { removed } }`,
      prepare: async () => {
        const rule = await recurrence();
        return {
          variables: { input: { id: rule.id } },
          expected: () => ({
            action: 'maintenanceRecurrence.delete',
            targetType: AuditTargetType.MAINTENANCE_RECURRENCE,
            targetId: rule.id,
            changes: deleted({
              title: rule.title,
              services: rule.services,
              teamId: rule.teamId,
              incidentPriority: 'P1',
              weekdays: [6],
              startTime: '22:00',
              durationMinutes: 60,
              zone: 'UTC',
              horizonDays: 7,
              active: true,
            }),
          }),
        };
      },
    },
    removeStatusSubscriber: {
      document: `mutation($input: RemoveInput!) { removeStatusSubscriber(input: $input) { removed } }`,
      prepare: async () => {
        const address = `subscriber-${next()}@example.com`;
        await services().statusSubscribers.subscribe('main', { channel: 'EMAIL', address, componentIds: [] });
        const [{ id, page_id: pageId }] = await t.app.db.query(`SELECT id, page_id FROM status_subscriber WHERE address = $1`, [address]);
        return {
          variables: { input: { id } },
          expected: () => ({ action: 'statusSubscriber.delete', targetType: AuditTargetType.STATUS_SUBSCRIBER, targetId: id, changes: deleted({ pageId, channel: 'EMAIL', address, serviceIds: [] }) }),
        };
      },
    },
    createPerson: {
      document: `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }`,
      prepare: async () => ({
        variables: { input: { name: 'Stefania', email: 'stefania@example.com', phone: '+351912000001' } },
        expected: (data) => ({
          action: 'person.create',
          targetType: AuditTargetType.PERSON,
          targetId: data.createPerson.person.id,
          changes: created({
            name: 'Stefania',
            email: 'stefania@example.com',
            phone: '+351912000001',
            timeZone: 'UTC',
            workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
          }),
        }),
      }),
    },
    updatePerson: {
      document: `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id } } }`,
      prepare: async () => {
        const p = await person();
        return {
          variables: { input: { id: p.id, orgRole: 'PM', timeZone: 'Europe/Lisbon', workingHours: { days: [1, 2, 3, 4], start: '08:00', end: '16:00' } } },
          expected: () => ({
            action: 'person.update',
            targetType: AuditTargetType.PERSON,
            targetId: p.id,
            changes: {
              orgRole: { before: null, after: 'PM' },
              timeZone: { before: 'UTC', after: 'Europe/Lisbon' },
              workingHours: { before: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }, after: { days: [1, 2, 3, 4], start: '08:00', end: '16:00' } },
            },
          }),
        };
      },
    },
    createTeam: {
      document: `mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id } } }`,
      prepare: async () => {
        const member = await person();
        return {
          variables: { input: { name: 'DevOps', memberIds: [member.id] } },
          expected: (data) => ({ action: 'team.create', targetType: AuditTargetType.TEAM, targetId: data.createTeam.team.id, changes: created({ name: 'DevOps', memberIds: [member.id] }) }),
        };
      },
    },
    updateTeam: {
      document: `mutation($input: UpdateTeamInput!) { updateTeam(input: $input) { team { id } } }`,
      prepare: async () => {
        const [first, second] = [await person(), await person()];
        const team = await services().teams.create({ name: `Team ${next()}`, memberIds: [first.id] });
        return {
          variables: { input: { id: team.id, description: 'Second line', memberIds: [second.id, first.id] } },
          expected: () => ({
            action: 'team.update',
            targetType: AuditTargetType.TEAM,
            targetId: team.id,
            changes: { description: { before: null, after: 'Second line' }, memberIds: { before: [first.id], after: [first.id, second.id].sort() } },
          }),
        };
      },
    },
    updateCommunicationPolicy: {
      document: `mutation($input: UpdateCommunicationPolicyInput!) { updateCommunicationPolicy(input: $input) { communicationPolicy { id } } }`,
      prepare: async () => {
        const [p3] = (await services().communicationPolicies.list()).filter((policy) => policy.priority === 'P3');
        return {
          variables: { input: { priority: 'P3', callMinutes: 180, escalationGraceMinutes: p3.escalationGraceMinutes, publicUpdateMinutes: null, maintenanceUpdateMinutes: 90 } },
          expected: () => ({
            action: 'communicationPolicy.update',
            targetType: AuditTargetType.COMMUNICATION_POLICY,
            targetId: p3.id,
            changes: { callMinutes: { before: null, after: 180 }, publicUpdateMinutes: { before: 120, after: null }, maintenanceUpdateMinutes: { before: 60, after: 90 } },
          }),
        };
      },
    },
    deleteTeam: {
      document: `mutation($input: RemoveInput!) { deleteTeam(input: $input) { removed } }`,
      prepare: async () => {
        const member = await person();
        const team = await services().teams.create({ name: `Team ${next()}`, memberIds: [member.id] });
        return {
          variables: { input: { id: team.id } },
          expected: () => ({ action: 'team.delete', targetType: AuditTargetType.TEAM, targetId: team.id, changes: deleted({ name: team.name, memberIds: [member.id] }) }),
        };
      },
    },
    createIntegration: {
      document: `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { integration { id } secret } }`,
      prepare: async () => {
        const service = await catalogService();
        return {
          variables: { input: { name: 'Prometheus', vendor: 'ALERTMANAGER', serviceId: service.id, options: { autoResolve: false } } },
          expected: (data) => {
            secrets.push(data.createIntegration.secret);
            return {
              action: 'integration.create',
              targetType: AuditTargetType.INTEGRATION,
              targetId: data.createIntegration.integration.id,
              changes: created({ name: 'Prometheus', vendor: 'ALERTMANAGER', serviceId: service.id, enabled: true, options: { autoResolve: false }, secret: '[redacted]' }),
            };
          },
        };
      },
    },
    updateIntegration: {
      document: `mutation($input: UpdateIntegrationInput!) { updateIntegration(input: $input) { integration { id } } }`,
      prepare: async () => {
        const { integration: existing, secret } = await integration();
        secrets.push(secret);
        return {
          variables: { input: { id: existing.id, enabled: false, vendorCredential: VENDOR_CREDENTIAL } },
          expected: () => ({
            action: 'integration.update',
            targetType: AuditTargetType.INTEGRATION,
            targetId: existing.id,
            changes: { enabled: { before: true, after: false }, vendorCredential: { before: null, after: '[redacted]' } },
          }),
        };
      },
    },
    rotateIntegrationSecret: {
      document: `mutation($input: RotateIntegrationSecretInput!) { rotateIntegrationSecret(input: $input) { integration { id } secret } }`,
      prepare: async () => {
        const { integration: existing, secret } = await integration();
        secrets.push(secret);
        return {
          variables: { input: { id: existing.id, gracePeriodSeconds: 3600 } },
          expected: (data) => {
            secrets.push(data.rotateIntegrationSecret.secret);
            return {
              action: 'integration.rotateSecret',
              targetType: AuditTargetType.INTEGRATION,
              targetId: existing.id,
              changes: { secret: { before: '[redacted]', after: '[redacted]' }, previousSecretExpiresAt: { before: null, after: new Date(clock.now().getTime() + 3600_000).toISOString() } },
            };
          },
        };
      },
    },
    createApiToken: {
      document: `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token { id } secret } }`,
      prepare: async () => ({
        variables: { input: { name: 'Grafana reader', role: 'VIEWER' } },
        expected: (data) => {
          secrets.push(data.createApiToken.secret);
          return { action: 'apiToken.create', targetType: AuditTargetType.API_TOKEN, targetId: data.createApiToken.token.id, changes: created({ name: 'Grafana reader', role: 'VIEWER' }) };
        },
      }),
    },
    updateApiToken: {
      document: `mutation($input: UpdateApiTokenInput!) { updateApiToken(input: $input) { token { id } } }`,
      prepare: async () => {
        const { token, secret } = await services().tokens.create({ name: `Token ${next()}`, role: Role.VIEWER });
        secrets.push(secret);
        return {
          variables: { input: { id: token.id, role: 'ANALYST', expiresAt: '2026-06-01T00:00:00.000Z' } },
          expected: () => ({
            action: 'apiToken.update',
            targetType: AuditTargetType.API_TOKEN,
            targetId: token.id,
            changes: { role: { before: 'VIEWER', after: 'ANALYST' }, expiresAt: { before: null, after: '2026-06-01T00:00:00.000Z' } },
          }),
        };
      },
    },
    revokeApiToken: {
      document: `mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { token { id } } }`,
      prepare: async () => {
        const { token, secret } = await services().tokens.create({ name: `Token ${next()}`, role: Role.RESPONDER });
        secrets.push(secret);
        return {
          variables: { input: { id: token.id } },
          expected: () => ({ action: 'apiToken.revoke', targetType: AuditTargetType.API_TOKEN, targetId: token.id, changes: { revokedAt: { before: null, after: clock.now().toISOString() } } }),
        };
      },
    },
    replayDeadLetter: {
      document: `mutation($input: ReplayDeadLetterInput!) { replayDeadLetter(input: $input) { accepted } }`,
      prepare: async () => {
        const { integration: existing, secret } = await integration();
        secrets.push(secret);
        await services().integrations.update(existing.id, { enabled: false });
        const refused = await request(t.url).post(`/webhooks/${existing.id}`).set('Authorization', `Bearer ${secret}`).send({ event_action: 'trigger', dedup_key: 'replayed', payload: { summary: 'disk full', severity: 'critical', source: 'db-1' } });
        expect(refused.status).toBe(403);
        await services().integrations.update(existing.id, { enabled: true });
        return {
          variables: { input: { id: refused.body.deadLetterId } },
          expected: (data) => {
            expect(data.replayDeadLetter.accepted).toBe(true);
            return {
              action: 'deadLetter.replay',
              targetType: AuditTargetType.DEAD_LETTER,
              targetId: refused.body.deadLetterId,
              changes: { replayedAt: { before: null, after: clock.now().toISOString() }, replayResult: { before: null, after: expect.objectContaining({ status: 202 }) } },
            };
          },
        };
      },
    },
  };

  it('has a case for every mutation of the schema that is not an incident action', async () => {
    const schema = await buildGraphQLSchema();
    const configurationMutations = Object.keys(schema.getMutationType()!.getFields()).filter((name) => !INCIDENT_ACTIONS.includes(name) && !MAINTENANCE_ACTIONS.includes(name) && !TASK_ACTIONS.includes(name));
    expect(configurationMutations.sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.keys(CASES))('%s writes one entry with its action, target, actor, request id and changed fields', async (mutation) => {
    const { document, prepare } = CASES[mutation];
    const { variables, expected } = await prepare();
    clock.advance(60_000);
    const requestId = `audit-${mutation}-${randomUUID()}`;
    const response = await mutate(document, variables, requestId);
    expect(response.errors).toBeUndefined();
    const want = expected(response.data);

    expect(await entriesOfRequest(requestId)).toHaveLength(1);
    const listed = await auditLog({ filter: { targetType: want.targetType, targetId: want.targetId }, first: 100 });
    expect(listed.errors).toBeUndefined();
    const entry = listed.data!.auditLog.edges.map((edge) => edge.node).find((node) => node.requestId === requestId);
    expect(entry).toEqual({
      id: expect.any(String),
      occurredAt: clock.now().toISOString(),
      actorType: 'TOKEN',
      actorId: actor.id,
      actorLabel: 'Dana (admin)',
      actorPerson: { id: dana.id },
      requestId,
      ...want,
    });
  });

  it('never stores a secret: integration secrets, credentials, Slack URLs and API tokens, nor their hashes', async () => {
    const [{ entries }] = await t.app.db.query(`SELECT coalesce(json_agg(a), '[]')::text AS entries FROM audit_entry a`);
    expect(entries).toContain('"[redacted]"');
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) {
      expect(entries).not.toContain(secret);
      expect(entries).not.toContain(hashSecret(secret));
    }
    expect(entries).not.toContain('slack-url-secret-part');
  });

  it('leaves neither the change nor an entry when a mutation fails half-way through its transaction', async () => {
    const [member, other] = [await person(), await person()];
    const team = await services().teams.create({ name: `Team ${next()}`, memberIds: [member.id] });
    const requestId = `audit-failing-${randomUUID()}`;
    // The team is renamed in the transaction before the unknown member is found.
    const response = await mutate(`mutation($input: UpdateTeamInput!) { updateTeam(input: $input) { team { id } } }`, { input: { id: team.id, name: 'Renamed', memberIds: [other.id, randomUUID()] } }, requestId);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'memberIds[1]' });
    expect(await entriesOfRequest(requestId)).toHaveLength(0);
    expect((await services().teams.get(team.id)).name).toBe(team.name);

    const duplicate = `audit-duplicate-${randomUUID()}`;
    const existing = await catalogService();
    const conflict = await mutate(`mutation($input: CreateServiceInput!) { createService(input: $input) { service { id } } }`, { input: { name: 'Copy', slug: existing.slug } }, duplicate);
    expect(conflict.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await entriesOfRequest(duplicate)).toHaveLength(0);
  });

  it('rolls the change back with its entry when the transaction fails after the entry was written', async () => {
    const p = await person();
    const policy = await services().paging.createPolicy({ name: `Chain ${next()}`, steps: [personStep(p.id, 5)] });
    const requestId = `audit-doomed-${randomUUID()}`;
    // A deferred trigger fails the commit of this one request: the entry was written, and the commit still fails.
    await t.app.db.query(`
      CREATE FUNCTION audit_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
      CREATE CONSTRAINT TRIGGER audit_test_refuse AFTER INSERT ON audit_entry DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW.request_id = '${requestId}') EXECUTE FUNCTION audit_test_refuse();`);
    try {
      const response = await mutate(
        `mutation($input: UpdateEscalationPolicyInput!) { updateEscalationPolicy(input: $input) { escalationPolicy { id } } }`,
        { input: { id: policy.id, name: 'Silenced', steps: [{ delayMinutes: 1440, targets: [{ type: 'PERSON', id: p.id }] }] } },
        requestId,
      );
      expect(response.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await t.app.db.query(`DROP TRIGGER audit_test_refuse ON audit_entry; DROP FUNCTION audit_test_refuse();`);
    }
    expect(await entriesOfRequest(requestId)).toHaveLength(0);
    expect(await services().paging.getPolicy(policy.id)).toMatchObject({ name: policy.name, steps: [expect.objectContaining({ delayMinutes: 5 })] });
  });

  it('records nothing when the transaction the entry was recorded in rolls back', async () => {
    const targetId = randomUUID();
    await expect(
      t.app.db.transaction(async (manager) => {
        await services().auditLog.record(manager, SYSTEM_AUDIT, { action: 'team.update', targetType: AuditTargetType.TEAM, targetId, changes: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.app.db.query(`SELECT id FROM audit_entry WHERE target_id = $1`, [targetId])).toHaveLength(0);
  });

  it('pages newest first with cursors, filtered by actor and target, counting all matches', async () => {
    const p = await person();
    for (const orgRole of ['one', 'two', 'three', 'four', 'five']) {
      clock.advance(1000);
      expect((await mutate(`mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id } } }`, { input: { id: p.id, orgRole } }, `audit-page-${randomUUID()}`)).errors).toBeUndefined();
    }
    const filter = { actorId: actor.id, targetType: 'PERSON', targetId: p.id };
    const seen: AuditEntryView[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page += 1) {
      const listed = await auditLog({ filter, first: 2, after });
      expect(listed.errors).toBeUndefined();
      const { totalCount, pageInfo, edges } = listed.data!.auditLog;
      expect(totalCount).toBe(5);
      seen.push(...edges.map((edge) => edge.node));
      expect(pageInfo.hasNextPage).toBe(page < 2);
      after = pageInfo.endCursor;
    }
    expect(seen.map((entry) => entry.changes.orgRole.after)).toEqual(['five', 'four', 'three', 'two', 'one']);
    expect(new Set(seen.map((entry) => entry.id)).size).toBe(5);

    // The person's creation was the system's (a service call outside a request): another actor, not listed above.
    const all = await auditLog({ filter: { targetType: 'PERSON', targetId: p.id }, first: 10 });
    expect(all.data!.auditLog.edges.map((edge) => [edge.node.action, edge.node.actorType, edge.node.requestId]).at(-1)).toEqual(['person.create', 'SYSTEM', null]);
  });

  it('answers who changed the escalation policy the night the page did not go out', async () => {
    const rafael = await person('Rafael');
    const policy = await services().paging.createPolicy({ name: 'Payments on-call chain', steps: [personStep(rafael.id, 5)] });
    const { token: nightToken, secret: nightSecret } = await services().tokens.create({ name: 'terraform (night shift)', role: Role.ADMIN });
    secrets.push(nightSecret);
    const update = `mutation($input: UpdateEscalationPolicyInput!) { updateEscalationPolicy(input: $input) { escalationPolicy { id } } }`;

    clock.set('2026-03-14T01:47:00Z');
    const night = await mutate(update, { input: { id: policy.id, name: policy.name, steps: [{ delayMinutes: 1440, targets: [{ type: 'PERSON', id: rafael.id }] }] } }, 'change-night', nightSecret);
    expect(night.errors).toBeUndefined();
    clock.set('2026-03-14T09:30:00Z');
    const morning = await mutate(update, { input: { id: policy.id, name: policy.name, steps: [{ delayMinutes: 5, targets: [{ type: 'PERSON', id: rafael.id }] }] } }, 'fix-morning');
    expect(morning.errors).toBeUndefined();

    const listed = await auditLog({ filter: { targetType: 'ESCALATION_POLICY', from: '2026-03-14T00:00:00Z', to: '2026-03-14T06:00:00Z' } });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.auditLog.totalCount).toBe(1);
    expect(listed.data!.auditLog.edges[0].node).toMatchObject({
      occurredAt: '2026-03-14T01:47:00.000Z',
      actorId: nightToken.id,
      actorLabel: 'terraform (night shift)',
      action: 'escalationPolicy.update',
      targetId: policy.id,
      requestId: 'change-night',
      changes: { steps: { before: [expect.objectContaining({ delayMinutes: 5 })], after: [expect.objectContaining({ delayMinutes: 1440 })] } },
    });
    const byToken = await auditLog({ filter: { actorId: nightToken.id } });
    expect(byToken.data!.auditLog.edges.map((edge) => edge.node.requestId)).toEqual(['change-night']);
  });

  it('refuses a filter.to before filter.from, a malformed date, id or cursor, naming the field', async () => {
    const reversed = await auditLog({ filter: { from: '2026-03-14T06:00:00Z', to: '2026-03-14T00:00:00Z' } });
    expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    const malformed = await auditLog({ filter: { from: 'last tuesday' } });
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0].message).toContain('from');
    const badActor = await auditLog({ filter: { actorId: 'dana' } });
    expect(badActor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.actorId' });
    const badCursor = await auditLog({ after: 'not-a-cursor' });
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it.each([Role.VIEWER, Role.RESPONDER, Role.ANALYST])('is FORBIDDEN to a %s token', async (role) => {
    const listed = await auditLog({}, await t.tokenFor(role));
    expect(listed.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(listed.data?.auditLog ?? null).toBeNull();
  });
});
