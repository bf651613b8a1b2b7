/** Where a status page and its feeds are reached from outside (behind a proxy, PUBLIC_BASE_URL). */
export interface PageLinks {
  /** The HTML page, `/status/<slug>`. */
  page: string;
  atom: string;
  rss: string;
}

export function pageLinks(publicBaseUrl: string, slug: string): PageLinks {
  const page = `${publicBaseUrl}/status/${slug}`;
  return { page, atom: `${page}/feed.atom`, rss: `${page}/feed.rss` };
}
