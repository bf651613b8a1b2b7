import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable';
import { MAIN_PAGE_SLUG } from '../services/status/status-page.service';
import { sendCached } from './conditional-get';
import { StatusPageRenderer, type RenderedPage } from './html/status-page.renderer';
import type { PublicPageCache } from './public-page-cache';

export interface StatusHtmlRouteDeps {
  /** The pages, read and rendered once per change or TTL whatever the traffic. */
  cache: Pick<PublicPageCache, 'representation'>;
  /** Retry-After of the 503 page (RETRY_AFTER_SECONDS). */
  retryAfterSeconds: number;
}

/**
 * GET /status (the main page) and /status/:slug: the public HTML status page. No token: like /healthz, these routes
 * never authenticate, and the page shows only what the PublicPage model holds.
 */
export function registerStatusHtmlRoutes(app: FastifyInstance, deps: StatusHtmlRouteDeps): void {
  const renderer = new StatusPageRenderer();

  async function show(request: FastifyRequest, slug: string, reply: FastifyReply): Promise<FastifyReply> {
    let page: Awaited<ReturnType<PublicPageCache['representation']>>;
    try {
      page = await deps.cache.representation(slug, 'html', (read) => ({ body: renderer.page(read).html, contentType: 'text/html; charset=utf-8' }));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      request.log.warn({ reason: (error as Error).message, slug }, 'could not read a status page: the database is unavailable');
      return send(reply.code(503).header('retry-after', String(deps.retryAfterSeconds)), renderer.unavailable(deps.retryAfterSeconds));
    }
    if (!page) return send(reply.code(404), renderer.notFound());
    return sendCached(request, reply.headers(renderer.headers), page);
  }

  app.get('/status', (request, reply) => show(request, MAIN_PAGE_SLUG, reply));
  app.get<{ Params: { slug: string } }>('/status/:slug', (request, reply) => show(request, request.params.slug || MAIN_PAGE_SLUG, reply));
}

function send(reply: FastifyReply, rendered: RenderedPage): FastifyReply {
  return reply.headers(rendered.headers).send(rendered.html);
}
