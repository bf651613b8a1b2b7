/**
 * The public pages, read at most once per slug per TTL and rendered at most once per read, so a traffic spike during
 * an outage costs the database nothing: requests that miss together share one read, and every change this instance
 * hears (LISTEN/NOTIFY) drops everything through invalidate().
 */
import type { PublicPage } from '../services/status/public-page';
import type { Clock } from '../shared/clock';
import { etagOf, type Cacheable } from './conditional-get';

/** What the cache reads pages from (PublicStatusReader): null when no page has that slug. */
export interface PublicPageSource {
  read(slug: string): Promise<PublicPage | null>;
}

/** A representation's body, as rendered from the page. */
export interface Rendering {
  body: string;
  contentType: string;
}

export interface PublicPageCacheOptions {
  /** How long a read is reused (STATUS_CACHE_SECONDS); also the max-age clients are given. */
  ttlSeconds: number;
  /** Slugs kept at once, the least recently asked for dropped first: unknown slugs are remembered too, and must not fill memory. */
  maxSlugs?: number;
}

interface Entry {
  expiresAt: number;
  page: Promise<PublicPage | null>;
  representations: Map<string, Required<Cacheable>>;
}

export class PublicPageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxSlugs: number;

  constructor(
    private readonly source: PublicPageSource,
    private readonly clock: Clock,
    private readonly options: PublicPageCacheOptions,
  ) {
    this.maxSlugs = options.maxSlugs ?? 1000;
  }

  /** The page, or null when there is none with this slug. */
  read(slug: string): Promise<PublicPage | null> {
    return this.entry(slug).page;
  }

  /**
   * One representation of the page (`name` says which: one name, one render function), rendered once per read,
   * with its ETag; null when there is no such page.
   */
  async representation(slug: string, name: string, render: (page: PublicPage) => Rendering): Promise<Required<Cacheable> | null> {
    const entry = this.entry(slug);
    const page = await entry.page;
    if (!page) return null;
    let cached = entry.representations.get(name);
    if (!cached) {
      const { body, contentType } = render(page);
      cached = { body, contentType, etag: etagOf(body), lastModified: page.updatedAt, maxAgeSeconds: this.options.ttlSeconds };
      entry.representations.set(name, cached);
    }
    return cached;
  }

  /** Drops every page and representation: the next request of each slug reads again. */
  invalidate(): void {
    this.entries.clear();
  }

  private entry(slug: string): Entry {
    const now = this.clock.now().getTime();
    const held = this.entries.get(slug);
    this.entries.delete(slug);
    if (held && held.expiresAt > now) {
      // Last used, last dropped.
      this.entries.set(slug, held);
      return held;
    }
    const entry: Entry = { expiresAt: now + this.options.ttlSeconds * 1000, page: this.source.read(slug), representations: new Map() };
    // A failed read is not kept: the next request tries again (a read that outlives an invalidation is simply not in the map any more).
    entry.page.catch(() => {
      if (this.entries.get(slug) === entry) this.entries.delete(slug);
    });
    this.entries.set(slug, entry);
    if (this.entries.size > this.maxSlugs) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }
}
