import type { FastifyInstance } from 'fastify';
import type { AnalyticsLinkService } from '../services/metrics/analytics-link.service';
import type { IncidentReportService } from '../services/metrics/incident-report.service';
import { StatusPageRenderer } from '../status/html/status-page.renderer';
import { reportView } from './report-view';

export interface ReportRouteDeps {
  links: AnalyticsLinkService;
  report: IncidentReportService;
}

/**
 * `GET /analytics/report?q=…&sig=…`: the incident report as one HTML document with SVG charts (no client script),
 * opened from a link createAnalyticsLink signed; the link is the permission, so no token is asked for.
 */
export function registerReportRoute(app: FastifyInstance, deps: ReportRouteDeps): void {
  const renderer = new StatusPageRenderer();
  app.get<{ Querystring: { q?: string; sig?: string } }>('/analytics/report', async (request, reply) => {
    const link = await deps.links.check(request.query.q, request.query.sig);
    const headers = { 'cache-control': 'private, no-store', 'referrer-policy': 'no-referrer' };
    if ('error' in link) {
      const page = renderer.message({
        heading: link.error === 'expired' ? 'This report link has expired' : 'This report link is not valid',
        paragraphs: [link.error === 'expired' ? 'Report links work for the time they were made for. Ask for a new one (createAnalyticsLink).' : 'The link was changed or was not made by this server. Ask for a new one (createAnalyticsLink).'],
      });
      return reply.code(403).headers({ ...page.headers, ...headers }).send(page.html);
    }
    const { byWeek, byService, serviceNames: names, responders } = await deps.report.gather(link.args);
    const filter = link.args.filter ?? {};
    const filterText = [
      filter.serviceIds?.length ? `Services: ${filter.serviceIds.map((id) => names.get(id) ?? id).join(', ')}.` : '',
      filter.priorities?.length ? `Priorities: ${filter.priorities.join(', ')}.` : '',
      filter.sources?.length ? `Sources: ${filter.sources.join(', ')}.` : '',
      filter.statuses?.length ? `Statuses: ${filter.statuses.join(', ')}.` : '',
      filter.integrationIds?.length ? `${filter.integrationIds.length} integration(s).` : '',
    ]
      .filter(Boolean)
      .join(' ') || 'All incidents.';
    const report = reportView(byWeek, byService, names, responders, filterText);
    const page = renderer.document('report', { report });
    return reply.headers({ ...page.headers, ...headers }).type('text/html; charset=utf-8').send(page.html);
  });
}
