import type { PublicPage } from '../../src/services/status/public-page';
import { ManualClock } from '../../src/shared/clock';
import { PublicPageCache, type PublicPageSource } from '../../src/status/public-page-cache';
import { fixturePage } from './public-page-fixture';

/** A page source that counts its reads and answers each with the page as it is at that moment. */
class CountingSource implements PublicPageSource {
  reads = 0;
  pages = new Map<string, PublicPage>([['main', fixturePage()]]);
  /** While set, reads wait for it (so requests can pile up on one read). */
  gate: Promise<void> | null = null;
  failNext: Error | null = null;

  async read(slug: string): Promise<PublicPage | null> {
    this.reads += 1;
    const page = this.pages.get(slug) ?? null;
    const failure = this.failNext;
    this.failNext = null;
    if (this.gate) await this.gate;
    if (failure) throw failure;
    return page;
  }
}

function gate(): { open: () => void; promise: Promise<void> } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { open, promise };
}

const json = (page: PublicPage) => ({ body: JSON.stringify({ title: page.title }), contentType: 'application/json' });

describe('PublicPageCache', () => {
  let source: CountingSource;
  let clock: ManualClock;
  let cache: PublicPageCache;

  beforeEach(() => {
    source = new CountingSource();
    clock = new ManualClock('2026-03-10T10:00:00Z');
    cache = new PublicPageCache(source, clock, { ttlSeconds: 10 });
  });

  it('serves 100 concurrent requests after an invalidation with one read', async () => {
    await cache.read('main');
    cache.invalidate();
    const slow = gate();
    source.gate = slow.promise;
    const before = source.reads;
    const requests = Array.from({ length: 100 }, () => cache.representation('main', 'summary', json));
    slow.open();
    const answers = await Promise.all(requests);
    expect(source.reads - before).toBe(1);
    expect(new Set(answers.map((answer) => answer?.etag)).size).toBe(1);
  });

  it('reuses a read for its TTL and reads again after it', async () => {
    await cache.read('main');
    clock.advance(9_999);
    await cache.read('main');
    expect(source.reads).toBe(1);
    clock.advance(1);
    await cache.read('main');
    expect(source.reads).toBe(2);
  });

  it('shows the new page right after invalidate()', async () => {
    expect((await cache.representation('main', 'summary', json))?.body).toBe('{"title":"Acme status"}');
    source.pages.set('main', fixturePage({ title: 'Acme, renamed' }));
    expect((await cache.representation('main', 'summary', json))?.body).toBe('{"title":"Acme status"}');
    cache.invalidate();
    expect((await cache.representation('main', 'summary', json))?.body).toBe('{"title":"Acme, renamed"}');
  });

  it('renders each representation once per read, with its ETag, Last-Modified and max-age', async () => {
    let renders = 0;
    const counted = (page: PublicPage) => {
      renders += 1;
      return json(page);
    };
    const first = await cache.representation('main', 'summary', counted);
    const second = await cache.representation('main', 'summary', counted);
    await cache.representation('main', 'feed', counted);
    expect(renders).toBe(2);
    expect(second).toBe(first);
    expect(first).toEqual({ body: '{"title":"Acme status"}', contentType: 'application/json', etag: expect.stringMatching(/^"/), lastModified: fixturePage().updatedAt, maxAgeSeconds: 10 });
  });

  it('does not keep a read that was in flight when the cache was invalidated', async () => {
    const slow = gate();
    source.gate = slow.promise;
    const before = cache.read('main');
    source.pages.set('main', fixturePage({ title: 'After the change' }));
    cache.invalidate();
    slow.open();
    expect((await before)?.title).toBe('Acme status');
    source.gate = null;
    expect((await cache.read('main'))?.title).toBe('After the change');
    expect(source.reads).toBe(2);
  });

  it('does not keep a failed read: the next request reads again', async () => {
    source.failNext = new Error('connection refused');
    await expect(cache.read('main')).rejects.toThrow('connection refused');
    expect((await cache.read('main'))?.title).toBe('Acme status');
    expect(source.reads).toBe(2);
  });

  it('answers null for an unknown slug, and remembers that too', async () => {
    expect(await cache.representation('nope', 'summary', json)).toBeNull();
    expect(await cache.read('nope')).toBeNull();
    expect(source.reads).toBe(1);
  });

  it('holds at most maxSlugs slugs, dropping the least recently asked for', async () => {
    const small = new PublicPageCache(source, clock, { ttlSeconds: 10, maxSlugs: 2 });
    await small.read('a');
    await small.read('b');
    await small.read('a');
    expect(source.reads).toBe(2);
    await small.read('c');
    await small.read('a');
    await small.read('c');
    expect(source.reads).toBe(3);
    await small.read('b');
    expect(source.reads).toBe(4);
  });
});
