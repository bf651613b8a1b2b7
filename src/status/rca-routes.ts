import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RcaService, RcaWithSections } from '../services/review/rca.service';
import type { RcaSectionContent } from '../schema/rca.entity';
import { Role, SectionVisibility } from '../schema/enums';
import { tokenWithRole, type TokenGuardDeps } from '../routes/token-guard';
import { DomainError } from '../shared/domain-error';
import { markdownToSafeHtml } from '../shared/markdown';
import { sendCached } from './conditional-get';
import { StatusPageRenderer, type RcaPageView } from './html/status-page.renderer';

export interface RcaRouteDeps extends TokenGuardDeps {
  rcas: RcaService;
}

const PUBLIC_ID = /^[a-z2-7]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const utc = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function sectionsView(sections: RcaSectionContent[]): RcaPageView['sections'] {
  return sections.map((section) => ({ key: section.key, title: section.title, bodyHtml: markdownToSafeHtml(section.body), internal: section.visibility === SectionVisibility.INTERNAL }));
}

/**
 * The RCA as HTML. Public: `/status/rca/<public id>`, the latest published version's PUBLIC sections only (the status
 * page links it from the incident), no token. Internal and printable: `/rca/<incident id>/print` with a VIEWER token,
 * every section marked, the current draft or `?version=N`.
 */
export function registerRcaRoutes(app: FastifyInstance, deps: RcaRouteDeps): void {
  const renderer = new StatusPageRenderer();

  app.get<{ Params: { publicId: string } }>('/status/rca/:publicId', async (request, reply) => {
    const rca = PUBLIC_ID.test(request.params.publicId) ? await deps.rcas.publicView(request.params.publicId) : null;
    if (!rca) return notFound(reply, renderer);
    const page = renderer.rca({
      title: rca.title,
      subtitle: `Root cause analysis of “${rca.incidentTitle}”, version ${rca.version}, published ${utc(rca.publishedAt)}.`,
      internal: false,
      sections: sectionsView(rca.sections),
    });
    return sendCached(request, reply.headers(page.headers), { body: page.html, contentType: 'text/html; charset=utf-8', lastModified: rca.publishedAt });
  });

  app.get<{ Params: { incidentId: string }; Querystring: { version?: string } }>('/rca/:incidentId/print', async (request, reply) => {
    if (!(await tokenWithRole(deps, request, reply, Role.VIEWER, 'the token may not read RCAs'))) return reply;
    if (!UUID.test(request.params.incidentId)) return reply.code(400).send({ error: 'incidentId: must be a UUID', field: 'incidentId' });
    const version = request.query.version === undefined ? null : Number(request.query.version);
    if (version !== null && !(Number.isInteger(version) && version >= 1)) return reply.code(400).send({ error: 'version: must be a whole number from 1', field: 'version' });
    let rca: RcaWithSections;
    try {
      rca = await deps.rcas.get(request.params.incidentId);
    } catch (error) {
      if (error instanceof DomainError) return reply.code(404).send({ error: error.message });
      throw error;
    }
    const frozen = version === null ? null : await deps.rcas.version(rca.document.id, version);
    if (version !== null && !frozen) return reply.code(404).send({ error: `version ${version} of this RCA was never published`, field: 'version' });
    const page = renderer.rca({
      title: frozen?.title ?? rca.document.title,
      subtitle: frozen ? `Version ${frozen.version}, published ${utc(frozen.publishedAt)} by ${frozen.publishedByName}.` : `${rca.document.status}, revision ${rca.document.revision}, last changed ${utc(rca.document.updatedAt)}.`,
      internal: true,
      sections: sectionsView(frozen?.sections ?? rca.sections),
    });
    return reply.headers({ ...page.headers, 'cache-control': 'private, no-store' }).send(page.html);
  });
}

function notFound(reply: FastifyReply, renderer: StatusPageRenderer): FastifyReply {
  const page = renderer.message({ heading: 'Root cause analysis not found', paragraphs: ['There is no published root cause analysis at this address.'], link: { href: '/status', text: 'Go to the status page' } });
  return reply.code(404).headers(page.headers).send(page.html);
}
