import type { DataSource, EntityManager } from 'typeorm';
import { conflictOnDuplicate } from '../../db/error-code';
import { emitChange } from '../../db/changes';
import { AuditTargetType, StatusPageKind } from '../../schema/enums';
import { StatusPage, StatusPageComponent } from '../../schema/status-page.entity';
import { SYSTEM_AUDIT, type AuditContext } from '../../shared/audit-context';
import type { Clock } from '../../shared/clock';
import { badInput, notFound } from '../../shared/domain-error';
import { diffFields } from '../audit-changes';
import type { AuditService } from '../audit.service';
import { isValidTimeZone, optionalText, requireText, requireUuid } from '../validation';

export interface StatusPageComponentInput {
  serviceId: string;
  group?: string | null;
  position?: number | null;
  providerName?: string | null;
  providerUrl?: string | null;
}

export interface StatusPageInput {
  slug: string;
  title: string;
  description?: string | null;
  timeZone?: string | null;
  kind?: StatusPageKind | null;
  components?: StatusPageComponentInput[] | null;
}

/** Fields not given (or null for slug, title, zone) stay; null description clears it. */
export interface StatusPagePatch {
  slug?: string | null;
  title?: string | null;
  description?: string | null;
  timeZone?: string | null;
  components?: StatusPageComponentInput[] | null;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_COMPONENTS = 200;
const MAX_PAGES = 100;
export const MAIN_PAGE_SLUG = 'main';
const PAGE_FIELDS = ['slug', 'title', 'description', 'timeZone', 'kind'] as const;

/** Configuration of the public status pages; what they show is read by the PublicStatusReader. */
export class StatusPageService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditService,
    private readonly publicBaseUrl: string,
  ) {}

  urlOf(page: Pick<StatusPage, 'slug'>): string {
    return `${this.publicBaseUrl}/status/${page.slug}`;
  }

  list(): Promise<StatusPage[]> {
    return this.db.getRepository(StatusPage).find({ order: { slug: 'ASC' }, take: MAX_PAGES });
  }

  async get(id: string): Promise<StatusPage> {
    const page = await this.db.getRepository(StatusPage).findOneBy({ id: requireUuid('id', id) });
    if (!page) throw notFound('status page', id);
    return page;
  }

  async create(input: StatusPageInput, audit: AuditContext = SYSTEM_AUDIT): Promise<StatusPage> {
    const values = pageValues(input);
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      const components = await validComponents(manager, input.components ?? []);
      const page = await conflictOnDuplicate(() => manager.getRepository(StatusPage).save({ ...values, createdAt: now, updatedAt: now }), `slug ${values.slug} is taken`);
      await writeComponents(manager, page.id, components);
      await this.auditLog.record(manager, audit, {
        action: 'statusPage.create',
        targetType: AuditTargetType.STATUS_PAGE,
        targetId: page.id,
        changes: { ...diffFields(null, page, PAGE_FIELDS), components: { before: null, after: components } },
      });
      await emitChange(manager, { topic: 'STATUS_PAGE_CHANGED', pageId: page.id });
      return page;
    });
  }

  async update(id: string, input: StatusPagePatch, audit: AuditContext = SYSTEM_AUDIT): Promise<StatusPage> {
    return this.db.transaction(async (manager) => {
      const page = await manager.getRepository(StatusPage).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id: requireUuid('id', id) }).getOne();
      if (!page) throw notFound('status page', id);
      const values = pageValues({
        slug: input.slug ?? page.slug,
        title: input.title ?? page.title,
        description: input.description === undefined ? page.description : input.description,
        timeZone: input.timeZone ?? page.timeZone,
        kind: page.kind,
      });
      if (page.slug === MAIN_PAGE_SLUG && values.slug !== MAIN_PAGE_SLUG) throw badInput('slug', 'the main page keeps the slug main (it is also served at /status)');
      const changes = { ...diffFields(page, { ...page, ...values }, PAGE_FIELDS) };
      if (input.components !== undefined) {
        const components = await validComponents(manager, input.components ?? []);
        changes.components = { before: await this.configured(manager, page.id), after: components };
        await writeComponents(manager, page.id, components);
      }
      const saved = await conflictOnDuplicate(() => manager.getRepository(StatusPage).save({ ...page, ...values, updatedAt: this.clock.now() }), `slug ${values.slug} is taken`);
      await this.auditLog.record(manager, audit, { action: 'statusPage.update', targetType: AuditTargetType.STATUS_PAGE, targetId: page.id, changes });
      await emitChange(manager, { topic: 'STATUS_PAGE_CHANGED', pageId: page.id });
      return saved;
    });
  }

  /** The components a page shows (configured, or its default set), in display order. */
  async components(pageId: string): Promise<StatusPageComponent[]> {
    const rows: Array<{ service_id: string; group_name: string | null; position: number | null; provider_name: string | null; provider_url: string | null }> = await this.db.query(
      `SELECT ps.service_id, ps.group_name, ps.position, ps.provider_name, ps.provider_url
         FROM status_page_service ps JOIN service s ON s.id = ps.service_id
        WHERE ps.page_id = $1 ORDER BY ps.group_name NULLS FIRST, ps.position NULLS LAST, s.name, s.id`,
      [pageId],
    );
    return rows.map((row, index) => ({ serviceId: row.service_id, group: row.group_name, position: row.position ?? index, providerName: row.provider_name, providerUrl: row.provider_url }));
  }

  /** Whether an admin chose the components (false: the default set). */
  async isConfigured(pageId: string): Promise<boolean> {
    const [row] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM status_page_component WHERE page_id = $1) AS configured`, [pageId]);
    return row.configured;
  }

  private async configured(manager: EntityManager, pageId: string): Promise<StatusPageComponentInput[]> {
    const rows: Array<{ service_id: string; group_name: string | null; position: number; provider_name: string | null; provider_url: string | null }> = await manager.query(
      `SELECT service_id, group_name, position, provider_name, provider_url FROM status_page_component WHERE page_id = $1 ORDER BY group_name NULLS FIRST, position`,
      [pageId],
    );
    return rows.map((row) => ({ serviceId: row.service_id, group: row.group_name, position: row.position, providerName: row.provider_name, providerUrl: row.provider_url }));
  }
}

function pageValues(input: StatusPageInput) {
  const slug = requireText('slug', input.slug, 100);
  if (!SLUG.test(slug)) throw badInput('slug', 'lower-case letters and digits separated by single hyphens');
  const timeZone = input.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw badInput('timeZone', `unknown time zone ${timeZone}`);
  const kind = input.kind ?? StatusPageKind.SERVICES;
  if (!Object.values(StatusPageKind).includes(kind)) throw badInput('kind', `unknown kind ${String(kind)}`);
  return { slug, title: requireText('title', input.title, 200), description: optionalText('description', input.description, 5000), timeZone, kind };
}

async function validComponents(manager: EntityManager, components: readonly StatusPageComponentInput[]): Promise<Required<StatusPageComponentInput>[]> {
  if (components.length > MAX_COMPONENTS) throw badInput('components', `at most ${MAX_COMPONENTS} components`);
  const seen = new Set<string>();
  const valid = components.map((component, index) => {
    const field = `components[${index}]`;
    requireUuid(`${field}.serviceId`, component.serviceId);
    if (seen.has(component.serviceId)) throw badInput(`${field}.serviceId`, `service ${component.serviceId} is given twice`);
    seen.add(component.serviceId);
    const position = component.position ?? index;
    if (!Number.isInteger(position) || position < 0 || position > 100_000) throw badInput(`${field}.position`, 'an integer from 0 to 100000');
    const providerUrl = optionalText(`${field}.providerUrl`, component.providerUrl, 2000);
    if (providerUrl && !/^https?:\/\/[^\s]+$/i.test(providerUrl)) throw badInput(`${field}.providerUrl`, 'an http(s) URL');
    return {
      serviceId: component.serviceId,
      group: optionalText(`${field}.group`, component.group, 200),
      position,
      providerName: optionalText(`${field}.providerName`, component.providerName, 200),
      providerUrl,
    };
  });
  if (!valid.length) return [];
  const rows: Array<{ id: string; public: boolean }> = await manager.query(`SELECT id, public FROM service WHERE id = ANY($1)`, [[...seen]]);
  const found = new Map(rows.map((row) => [row.id, row.public]));
  valid.forEach((component, index) => {
    if (!found.has(component.serviceId)) throw badInput(`components[${index}].serviceId`, `service ${component.serviceId} does not exist`);
    if (!found.get(component.serviceId)) throw badInput(`components[${index}].serviceId`, `service ${component.serviceId} is not public (mark it public first)`);
  });
  return valid;
}

async function writeComponents(manager: EntityManager, pageId: string, components: Required<StatusPageComponentInput>[]): Promise<void> {
  await manager.query(`DELETE FROM status_page_component WHERE page_id = $1`, [pageId]);
  if (!components.length) return;
  await manager.query(
    `INSERT INTO status_page_component (page_id, service_id, group_name, position, provider_name, provider_url)
     SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[])`,
    [pageId, components.map((c) => c.serviceId), components.map((c) => c.group), components.map((c) => c.position), components.map((c) => c.providerName), components.map((c) => c.providerUrl)],
  );
}
