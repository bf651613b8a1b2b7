import type { DataSource, EntityManager } from 'typeorm';
import { emitChange } from '../db/changes';
import { conflictOnDuplicate } from '../db/error-code';
import { AuditTargetType } from '../schema/enums';
import { Person } from '../schema/person.entity';
import { Service } from '../schema/service.entity';
import { SYSTEM_AUDIT, type AuditContext } from '../shared/audit-context';
import type { Clock } from '../shared/clock';
import { badInput, notFound } from '../shared/domain-error';
import type { Page, PageArgs } from '../shared/page';
import { diffFields } from './audit-changes';
import type { AuditService } from './audit.service';
import { pageByName } from './pagination';
import { containsPattern, isValidTimeZone, optionalText, requireText, requireUuid } from './validation';
import { isE164 } from '../shared/phone';
import { requirePerson } from './person-exists';
import { validateOffPeakHours, type OffPeakHours } from './maintenance/off-peak';
import { DEFAULT_WORKING_HOURS, validateWorkingHours, type WorkingHoursValue } from './working-hours';

export interface ServiceInput {
  name: string;
  slug: string;
  description?: string | null;
  public?: boolean | null;
  ownerId?: string | null;
  offPeakHours?: OffPeakHours | null;
}

export interface PersonInput {
  name: string;
  email: string;
  phone?: string | null;
  timeZone?: string | null;
  orgRole?: string | null;
  workingHours?: WorkingHoursValue | null;
}

export interface ServiceFilter {
  nameContains?: string | null;
  slug?: string[] | null;
  ownerId?: string | null;
}

export interface PersonFilter {
  nameContains?: string | null;
  email?: string | null;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** What the audit log records of services and people. */
const SERVICE_FIELDS = ['name', 'slug', 'description', 'public', 'ownerId', 'escalationPolicyId', 'offPeakHours'] as const;
const PERSON_FIELDS = ['name', 'email', 'phone', 'timeZone', 'orgRole', 'workingHours'] as const;

/** Services and people: the catalog incidents, rotas and escalation refer to. */
export class CatalogService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditService,
  ) {}

  async createService(input: ServiceInput, audit: AuditContext = SYSTEM_AUDIT): Promise<Service> {
    const values = await this.serviceValues(input);
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      const service = await this.insertUnique(() => manager.getRepository(Service).save({ ...values, createdAt: now, updatedAt: now }), 'slug', values.slug);
      await this.auditLog.record(manager, audit, { action: 'service.create', targetType: AuditTargetType.SERVICE, targetId: service.id, changes: diffFields(null, service, SERVICE_FIELDS) });
      if (service.public) await emitChange(manager, { topic: 'STATUS_PAGE_CHANGED', pageId: null, serviceId: service.id });
      return service;
    });
  }

  async updateService(id: string, input: Partial<ServiceInput>, audit: AuditContext = SYSTEM_AUDIT): Promise<Service> {
    return this.db.transaction(async (manager) => {
      const service = await lockedService(manager, id);
      const merged = await this.serviceValues({ ...service, ...stripUndefined(input) });
      const saved = await this.insertUnique(() => manager.getRepository(Service).save({ ...service, ...merged, updatedAt: this.clock.now() }), 'slug', merged.slug);
      const changes = diffFields(service, saved, SERVICE_FIELDS);
      await this.auditLog.record(manager, audit, { action: 'service.update', targetType: AuditTargetType.SERVICE, targetId: service.id, changes });
      // What status pages show of a service: whether it is there at all, its name and its description.
      if ((service.public || saved.public) && ('public' in changes || 'name' in changes || 'description' in changes)) {
        await emitChange(manager, { topic: 'STATUS_PAGE_CHANGED', pageId: null, serviceId: service.id });
      }
      return saved;
    });
  }

  async getService(id: string): Promise<Service> {
    const service = await this.db.getRepository(Service).findOneBy({ id: requireUuid('id', id) });
    if (!service) throw notFound('service', id);
    return service;
  }

  /** Services by name, then id, keyset-paginated. */
  async listServices(filter: ServiceFilter = {}, page: PageArgs = {}): Promise<Page<Service>> {
    const query = this.db.getRepository(Service).createQueryBuilder('s');
    if (filter.nameContains) query.andWhere(`s.name ILIKE :name ESCAPE '\\'`, { name: containsPattern('filter.nameContains', filter.nameContains) });
    if (filter.slug?.length) query.andWhere('s.slug = ANY(:slugs)', { slugs: filter.slug });
    if (filter.ownerId) query.andWhere('s.owner_id = :ownerId', { ownerId: requireUuid('filter.ownerId', filter.ownerId) });
    return pageByName(query, 's', page);
  }

  async createPerson(input: PersonInput, audit: AuditContext = SYSTEM_AUDIT): Promise<Person> {
    const values = personValues(input);
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      const person = await this.insertUnique(() => manager.getRepository(Person).save({ ...values, createdAt: now, updatedAt: now }), 'email', values.email);
      await this.auditLog.record(manager, audit, { action: 'person.create', targetType: AuditTargetType.PERSON, targetId: person.id, changes: diffFields(null, person, PERSON_FIELDS) });
      return person;
    });
  }

  async updatePerson(id: string, input: Partial<PersonInput>, audit: AuditContext = SYSTEM_AUDIT): Promise<Person> {
    return this.db.transaction(async (manager) => {
      const person = await manager.getRepository(Person).findOne({ where: { id: requireUuid('id', id) }, lock: { mode: 'pessimistic_write' } });
      if (!person) throw notFound('person', id);
      const merged = personValues({ ...person, ...stripUndefined(input) });
      const saved = await this.insertUnique(() => manager.getRepository(Person).save({ ...person, ...merged, updatedAt: this.clock.now() }), 'email', merged.email);
      await this.auditLog.record(manager, audit, { action: 'person.update', targetType: AuditTargetType.PERSON, targetId: person.id, changes: diffFields(person, saved, PERSON_FIELDS) });
      return saved;
    });
  }

  async getPerson(id: string): Promise<Person> {
    const person = await this.db.getRepository(Person).findOneBy({ id: requireUuid('id', id) });
    if (!person) throw notFound('person', id);
    return person;
  }

  /** People by name, then id, keyset-paginated; the e-mail matches regardless of case. */
  async listPeople(filter: PersonFilter = {}, page: PageArgs = {}): Promise<Page<Person>> {
    const query = this.db.getRepository(Person).createQueryBuilder('p');
    if (filter.nameContains) query.andWhere(`p.name ILIKE :name ESCAPE '\\'`, { name: containsPattern('filter.nameContains', filter.nameContains) });
    if (filter.email) query.andWhere('lower(p.email) = lower(:email)', { email: filter.email.trim() });
    return pageByName(query, 'p', page);
  }

  async servicesByIds(ids: readonly string[]): Promise<Service[]> {
    return this.db.getRepository(Service).createQueryBuilder('s').where('s.id = ANY(:ids)', { ids }).getMany();
  }

  async peopleByIds(ids: readonly string[]): Promise<Person[]> {
    return this.db.getRepository(Person).createQueryBuilder('p').where('p.id = ANY(:ids)', { ids }).getMany();
  }

  private async serviceValues(input: ServiceInput) {
    const slug = requireText('slug', input.slug, 100);
    if (!SLUG.test(slug)) throw badInput('slug', 'must be lower-case letters and digits separated by single hyphens');
    if (input.ownerId) await requirePerson(this.db, 'ownerId', input.ownerId);
    return {
      name: requireText('name', input.name, 200),
      slug,
      description: optionalText('description', input.description, 5000),
      public: input.public ?? false,
      ownerId: input.ownerId ?? null,
      offPeakHours: input.offPeakHours ? validateOffPeakHours('offPeakHours', input.offPeakHours) : null,
    };
  }

  private insertUnique<T>(write: () => Promise<T>, field: string, value: string): Promise<T> {
    return conflictOnDuplicate(write, `${field} "${value}" is already taken`);
  }
}

/** The service, locked FOR UPDATE for the rest of the transaction, so its audit entry's "before" is what was changed. */
export async function lockedService(manager: EntityManager, id: string, field = 'id'): Promise<Service> {
  const service = await manager.getRepository(Service).findOne({ where: { id: requireUuid(field, id) }, lock: { mode: 'pessimistic_write' } });
  if (!service) throw notFound('service', id);
  return service;
}

function personValues(input: PersonInput) {
  const email = requireText('email', input.email, 320);
  if (!EMAIL.test(email)) throw badInput('email', 'is not an e-mail address');
  const phone = optionalText('phone', input.phone, 20);
  if (phone && !isE164(phone)) throw badInput('phone', 'must be E.164, e.g. +351912345678');
  const timeZone = input.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw badInput('timeZone', `unknown time zone "${timeZone}"`);
  const workingHours = input.workingHours ? validateWorkingHours('workingHours', input.workingHours) : DEFAULT_WORKING_HOURS;
  return { name: requireText('name', input.name, 200), email, phone, timeZone, orgRole: optionalText('orgRole', input.orgRole, 200), workingHours };
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}
