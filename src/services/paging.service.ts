import type { DataSource } from 'typeorm';
import { AuditTargetType } from '../schema/enums';
import { ChannelKind, EscalationTargetType } from '../schema/enums';
import { ContactMethod, NotificationRule } from '../schema/contact-method.entity';
import { EscalationPolicy, type EscalationStep } from '../schema/escalation-policy.entity';
import { Service } from '../schema/service.entity';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { badInput, conflict, notFound } from '../shared/domain-error';
import type { Page, PageArgs } from '../shared/page';
import { diffFields } from './audit-changes';
import type { AuditService } from './audit.service';
import { lockedService } from './catalog.service';
import { pageByName } from './pagination';
import { containsPattern, optionalText, requireText, requireUuid } from './validation';
import { isE164 } from '../shared/phone';
import { requirePerson } from './person-exists';

export interface StepInput {
  delayMinutes: number;
  targets: Array<{ type: EscalationTargetType; id: string; includeBackups?: boolean | null }>;
}

export interface PolicyInput {
  name: string;
  description?: string | null;
  repeatCount?: number | null;
  steps: StepInput[];
}

export interface EscalationPolicyFilter {
  nameContains?: string | null;
  /** The policy this service uses. */
  serviceId?: string | null;
}

const TARGET_TABLES: Record<EscalationTargetType, string> = { PERSON: 'person', SCHEDULE: 'schedule', TEAM: 'team' };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const URL_PATTERN = /^https?:\/\/\S+$/;

const ADDRESS_RULES: Record<ChannelKind, { valid: (address: string) => boolean; hint: string }> = {
  SMS: { valid: isE164, hint: 'an E.164 number, e.g. +351912345678' },
  EMAIL: { valid: (address) => EMAIL.test(address), hint: 'an e-mail address' },
  SLACK: { valid: (address) => URL_PATTERN.test(address), hint: 'a Slack incoming-webhook URL' },
  WEBHOOK: { valid: (address) => URL_PATTERN.test(address), hint: 'an http(s) URL' },
};

/** What the audit log records of each; a Slack or webhook URL is the credential to post there, so it is never shown. */
const CONTACT_METHOD_FIELDS = ['personId', 'channel', 'address', 'label'] as const;
const SECRET_ADDRESS_CHANNELS: ReadonlySet<ChannelKind> = new Set([ChannelKind.SLACK, ChannelKind.WEBHOOK]);
const NOTIFICATION_RULE_FIELDS = ['personId', 'contactMethodId', 'delayMinutes'] as const;
const POLICY_FIELDS = ['name', 'description', 'repeatCount', 'steps'] as const;

/** How people are reached (contact methods, notification rules) and escalation policies. */
export class PagingService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditService,
  ) {}

  async addContactMethod(input: { personId: string; channel: ChannelKind; address: string; label?: string | null }, audit: AuditContext = SYSTEM_AUDIT): Promise<ContactMethod> {
    await requirePerson(this.db, 'personId', input.personId);
    const address = requireText('address', input.address, 2000);
    const rule = ADDRESS_RULES[input.channel];
    if (!rule.valid(address)) throw badInput('address', `a ${input.channel} contact method needs ${rule.hint}`);
    const method = this.db.getRepository(ContactMethod).create({
      personId: input.personId,
      channel: input.channel,
      address,
      label: optionalText('label', input.label, 100),
      createdAt: this.clock.now(),
    });
    return this.db.transaction(async (manager) => {
      await manager.getRepository(ContactMethod).insert(method);
      await this.auditLog.record(manager, audit, { action: 'contactMethod.create', targetType: AuditTargetType.CONTACT_METHOD, targetId: method.id, changes: contactMethodChanges(null, method) });
      return method;
    });
  }

  async removeContactMethod(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [method] = await manager.getRepository(ContactMethod).find({ where: { id: requireUuid('id', id) }, lock: { mode: 'pessimistic_write' } });
      if (!method) throw notFound('contact method', id);
      await manager.getRepository(ContactMethod).delete({ id: method.id });
      await this.auditLog.record(manager, audit, { action: 'contactMethod.delete', targetType: AuditTargetType.CONTACT_METHOD, targetId: method.id, changes: contactMethodChanges(method, null) });
    });
  }

  async addNotificationRule(input: { contactMethodId: string; delayMinutes: number }, audit: AuditContext = SYSTEM_AUDIT): Promise<NotificationRule> {
    const method = await this.db.getRepository(ContactMethod).findOneBy({ id: requireUuid('contactMethodId', input.contactMethodId) });
    if (!method) throw badInput('contactMethodId', `contact method ${input.contactMethodId} does not exist`);
    if (!Number.isInteger(input.delayMinutes) || input.delayMinutes < 0 || input.delayMinutes > 1440) throw badInput('delayMinutes', 'must be between 0 and 1440');
    const rule = this.db.getRepository(NotificationRule).create({
      personId: method.personId,
      contactMethodId: method.id,
      delayMinutes: input.delayMinutes,
      createdAt: this.clock.now(),
    });
    return this.db.transaction(async (manager) => {
      await manager.getRepository(NotificationRule).upsert(rule, ['contactMethodId', 'delayMinutes']);
      const saved = await manager.getRepository(NotificationRule).findOneByOrFail({ contactMethodId: method.id, delayMinutes: input.delayMinutes });
      await this.auditLog.record(manager, audit, {
        action: 'notificationRule.create',
        targetType: AuditTargetType.NOTIFICATION_RULE,
        targetId: saved.id,
        changes: diffFields(null, saved, NOTIFICATION_RULE_FIELDS),
      });
      return saved;
    });
  }

  async removeNotificationRule(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [rule] = await manager.getRepository(NotificationRule).find({ where: { id: requireUuid('id', id) }, lock: { mode: 'pessimistic_write' } });
      if (!rule) throw notFound('notification rule', id);
      await manager.getRepository(NotificationRule).delete({ id: rule.id });
      await this.auditLog.record(manager, audit, { action: 'notificationRule.delete', targetType: AuditTargetType.NOTIFICATION_RULE, targetId: rule.id, changes: diffFields(rule, null, NOTIFICATION_RULE_FIELDS) });
    });
  }

  async contactMethodsFor(personIds: readonly string[]): Promise<ContactMethod[]> {
    return this.db.getRepository(ContactMethod).createQueryBuilder('c').where('c.person_id = ANY(:ids)', { ids: personIds }).orderBy('c.created_at').getMany();
  }

  async rulesFor(personIds: readonly string[]): Promise<NotificationRule[]> {
    return this.db.getRepository(NotificationRule).createQueryBuilder('r').where('r.person_id = ANY(:ids)', { ids: personIds }).orderBy('r.delay_minutes').getMany();
  }

  async createPolicy(input: PolicyInput, audit: AuditContext = SYSTEM_AUDIT): Promise<EscalationPolicy> {
    const values = await this.policyValues(input);
    const now = this.clock.now();
    const policy = this.db.getRepository(EscalationPolicy).create({ ...values, createdAt: now, updatedAt: now });
    return this.db.transaction(async (manager) => {
      await manager.getRepository(EscalationPolicy).insert(policy);
      await this.auditLog.record(manager, audit, { action: 'escalationPolicy.create', targetType: AuditTargetType.ESCALATION_POLICY, targetId: policy.id, changes: diffFields(null, policy, POLICY_FIELDS) });
      return policy;
    });
  }

  /** Escalations already under way keep the snapshot they started with. */
  async updatePolicy(id: string, input: PolicyInput, audit: AuditContext = SYSTEM_AUDIT): Promise<EscalationPolicy> {
    const values = await this.policyValues(input);
    return this.db.transaction(async (manager) => {
      const [policy] = await manager.getRepository(EscalationPolicy).find({ where: { id: requireUuid('id', id) }, lock: { mode: 'pessimistic_write' } });
      if (!policy) throw notFound('escalation policy', id);
      const before = { ...policy };
      Object.assign(policy, values, { updatedAt: this.clock.now() });
      await manager.getRepository(EscalationPolicy).save(policy);
      await this.auditLog.record(manager, audit, { action: 'escalationPolicy.update', targetType: AuditTargetType.ESCALATION_POLICY, targetId: policy.id, changes: diffFields(before, policy, POLICY_FIELDS) });
      return policy;
    });
  }

  /**
   * Deletes a policy no service uses. A policy still set on services is refused (CONFLICT naming them):
   * deleting it would silently stop paging for them. Escalations under way keep their snapshot.
   */
  async deletePolicy(id: string, audit: AuditContext = SYSTEM_AUDIT): Promise<void> {
    requireUuid('id', id);
    await this.db.transaction(async (manager) => {
      const [policy] = await manager.getRepository(EscalationPolicy).find({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!policy) throw notFound('escalation policy', id);
      const users: Array<{ name: string }> = await manager.query(`SELECT name FROM service WHERE escalation_policy_id = $1 ORDER BY name LIMIT 11`, [id]);
      if (users.length) {
        const names = users.slice(0, 10).map((service) => service.name).join(', ');
        throw conflict(`escalation policy ${id} is used by ${users.length > 10 ? 'more than 10 services' : 'services'}: ${names}; give them another policy (or none) first`);
      }
      await manager.query(`DELETE FROM escalation_policy WHERE id = $1`, [policy.id]);
      await this.auditLog.record(manager, audit, { action: 'escalationPolicy.delete', targetType: AuditTargetType.ESCALATION_POLICY, targetId: policy.id, changes: diffFields(policy, null, POLICY_FIELDS) });
    });
  }

  async getPolicy(id: string): Promise<EscalationPolicy> {
    const policy = await this.db.getRepository(EscalationPolicy).findOneBy({ id: requireUuid('id', id) });
    if (!policy) throw notFound('escalation policy', id);
    return policy;
  }

  /** Escalation policies by name, then id, keyset-paginated. */
  async listPolicies(filter: EscalationPolicyFilter = {}, page: PageArgs = {}): Promise<Page<EscalationPolicy>> {
    const query = this.db.getRepository(EscalationPolicy).createQueryBuilder('p');
    if (filter.nameContains) query.andWhere(`p.name ILIKE :name ESCAPE '\\'`, { name: containsPattern('filter.nameContains', filter.nameContains) });
    if (filter.serviceId) {
      query.andWhere('EXISTS (SELECT 1 FROM service s WHERE s.escalation_policy_id = p.id AND s.id = :serviceId)', { serviceId: requireUuid('filter.serviceId', filter.serviceId) });
    }
    return pageByName(query, 'p', page);
  }

  async policiesByIds(ids: readonly string[]): Promise<EscalationPolicy[]> {
    return this.db.getRepository(EscalationPolicy).createQueryBuilder('p').where('p.id = ANY(:ids)', { ids }).getMany();
  }

  async setServicePolicy(serviceId: string, policyId: string | null, audit: AuditContext = SYSTEM_AUDIT): Promise<Service> {
    return this.db.transaction(async (manager) => {
      const service = await lockedService(manager, serviceId, 'serviceId');
      if (policyId) await this.getPolicy(policyId);
      const before = { ...service };
      service.escalationPolicyId = policyId;
      service.updatedAt = this.clock.now();
      await manager.getRepository(Service).save(service);
      await this.auditLog.record(manager, audit, {
        action: 'service.setEscalationPolicy',
        targetType: AuditTargetType.SERVICE,
        targetId: service.id,
        changes: diffFields(before, service, ['escalationPolicyId']),
      });
      return service;
    });
  }

  private async policyValues(input: PolicyInput) {
    const repeatCount = input.repeatCount ?? 0;
    if (!Number.isInteger(repeatCount) || repeatCount < 0 || repeatCount > 20) throw badInput('repeatCount', 'must be between 0 and 20');
    if (!input.steps.length) throw badInput('steps', 'a policy needs at least one step');
    if (input.steps.length > 20) throw badInput('steps', 'a policy has at most 20 steps');
    const steps: EscalationStep[] = [];
    for (const [index, step] of input.steps.entries()) {
      const field = `steps[${index}]`;
      if (!Number.isInteger(step.delayMinutes) || step.delayMinutes < 1 || step.delayMinutes > 1440) throw badInput(`${field}.delayMinutes`, 'must be between 1 and 1440');
      if (!step.targets.length) throw badInput(`${field}.targets`, 'a step needs at least one target');
      for (const [targetIndex, target] of step.targets.entries()) {
        const targetField = `${field}.targets[${targetIndex}].id`;
        const table = TARGET_TABLES[target.type];
        const [exists] = await this.db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [requireUuid(targetField, target.id)]);
        if (!exists) throw badInput(targetField, `${table} ${target.id} does not exist`);
      }
      steps.push({
        delayMinutes: step.delayMinutes,
        targets: step.targets.map((target) => ({ type: target.type, id: target.id.toLowerCase(), includeBackups: target.includeBackups ?? false })),
      });
    }
    return { name: requireText('name', input.name, 200), description: optionalText('description', input.description, 2000), repeatCount, steps };
  }
}

function contactMethodChanges(before: ContactMethod | null, after: ContactMethod | null) {
  const channel = (after ?? before)?.channel;
  return diffFields(before, after, CONTACT_METHOD_FIELDS, { secret: channel && SECRET_ADDRESS_CHANNELS.has(channel) ? ['address'] : [] });
}
