/**
 * The machine-readable public surfaces of each status page, no token needed: Statuspage's v2 JSON under
 * `/status/<slug>/api/v2/` and the Atom and RSS feeds, each answered from PublicPageCache with conditional GET.
 * `/status/api/v2/…` and `/status/feed.*` serve the main page. Only GET and HEAD.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { PublicPage } from '../services/status/public-page';
import { sendCached } from './conditional-get';
import { pageLinks, type PageLinks } from './page-links';
import type { PublicPageCache, Rendering } from './public-page-cache';
import { atomFeed, rssFeed } from './status-feed';
import { STATUSPAGE_V2_DOCUMENTS } from './statuspage-v2';

export const MAIN_PAGE_SLUG = 'main';

/** What status_page.slug allows (migration StatusPages): anything else is no page, and costs no read. */
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SLUG_MAX_LENGTH = 100;

export interface StatusApiRouteDeps {
  cache: PublicPageCache;
  publicBaseUrl: string;
  /** Retry-After of a 503 (RETRY_AFTER_SECONDS). */
  retryAfterSeconds: number;
}

type Render = (page: PublicPage, links: PageLinks) => Rendering;

const JSON_TYPE = 'application/json; charset=utf-8';

/** Each surface by its path below the page: its name in the cache is its path. */
function surfaces(): Array<[string, Render]> {
  const documents = Object.entries(STATUSPAGE_V2_DOCUMENTS).map(([path, document]): [string, Render] => [
    `api/v2/${path}`,
    (page, links) => ({ body: JSON.stringify(document(page, links)), contentType: JSON_TYPE }),
  ]);
  return [
    ...documents,
    ['feed.atom', (page, links) => ({ body: atomFeed(page, links), contentType: 'application/atom+xml; charset=utf-8' })],
    ['feed.rss', (page, links) => ({ body: rssFeed(page, links), contentType: 'application/rss+xml; charset=utf-8' })],
  ];
}

function notFound(reply: FastifyReply, slug: string): FastifyReply {
  const named = SLUG.test(slug) && slug.length <= SLUG_MAX_LENGTH ? ` "${slug}"` : '';
  return reply.code(404).type(JSON_TYPE).send({ error: `there is no status page${named}`, field: 'slug' });
}

export async function registerStatusApiRoutes(app: FastifyInstance, deps: StatusApiRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: { message: error.message } }, 'status page answered 503: the database is unavailable');
        return reply.code(503).header('retry-after', String(deps.retryAfterSeconds)).type(JSON_TYPE).send({ error: 'the status page cannot be read now; retry' });
      }
      if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).type(JSON_TYPE).send({ error: error.message });
      request.log.error({ err: error }, 'status page failed');
      return reply.code(500).type(JSON_TYPE).send({ error: 'internal error' });
    });

    const answer = (path: string, render: Render) => async (request: FastifyRequest<{ Params: { slug?: string } }>, reply: FastifyReply) => {
      const slug = request.params.slug ?? MAIN_PAGE_SLUG;
      if (!SLUG.test(slug) || slug.length > SLUG_MAX_LENGTH) return notFound(reply, slug);
      const links = pageLinks(deps.publicBaseUrl, slug);
      const representation = await deps.cache.representation(slug, path, (page) => render(page, links));
      if (!representation) return notFound(reply, slug);
      // Statuspage's JSON is read by widgets on other sites; nothing here is private to a browser's user.
      reply.header('access-control-allow-origin', '*');
      return sendCached(request, reply, representation);
    };
    const refuse = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.code(405).header('allow', 'GET, HEAD').type(JSON_TYPE).send({ error: 'this public page is read-only: only GET and HEAD are allowed', field: 'method' });

    for (const [path, render] of surfaces()) {
      for (const url of [`/status/:slug/${path}`, `/status/${path}`]) {
        scope.get(url, answer(path, render));
        scope.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url, handler: refuse });
      }
    }
  });
}
