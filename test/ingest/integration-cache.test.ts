import { IntegrationCache } from '../../src/ingest/integration-cache';
import type { IntegrationAuth, IntegrationService } from '../../src/services/integration.service';

function auth(overrides: Partial<IntegrationAuth> = {}): IntegrationAuth {
  return { id: 'i-1', name: 'prometheus', vendor: 'ALERTMANAGER', serviceId: 's-1', enabled: true, options: {}, secretHash: 'h', ...overrides } as IntegrationAuth;
}

/** A stand-in IntegrationService whose loads finish when the test says so. */
function controlledService() {
  const loads: Array<(value: IntegrationAuth | null) => void> = [];
  const service = { auth: () => new Promise<IntegrationAuth | null>((resolve) => loads.push(resolve)) } as unknown as IntegrationService;
  return { service, loads };
}

describe('integration cache', () => {
  afterEach(() => jest.restoreAllMocks());

  it('shares one load between concurrent misses', async () => {
    const { service, loads } = controlledService();
    const cache = new IntegrationCache(service);
    const answers = Promise.all(Array.from({ length: 32 }, () => cache.get('i-1')));
    expect(loads).toHaveLength(1);
    loads[0](auth());
    const values = await answers;
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toMatchObject({ id: 'i-1' });
  });

  it('keeps the same object when a periodic reload finds the integration unchanged, and a new one when it changed', async () => {
    const { service, loads } = controlledService();
    const cache = new IntegrationCache(service);
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const first = cache.get('i-1');
    loads[0](auth());
    const original = await first;

    now += 31_000;
    const reloaded = cache.get('i-1');
    loads[1](auth());
    expect(await reloaded).toBe(original);

    now += 31_000;
    const changed = cache.get('i-1');
    loads[2](auth({ options: { autoResolve: false } }));
    const value = await changed;
    expect(value).not.toBe(original);
    expect(value?.options).toEqual({ autoResolve: false });
  });

  it('does not store what a load read before an invalidation', async () => {
    const { service, loads } = controlledService();
    const cache = new IntegrationCache(service);
    const stale = cache.get('i-1');
    cache.invalidate('i-1');
    const fresh = cache.get('i-1');
    expect(loads).toHaveLength(2);
    loads[1](auth({ enabled: false }));
    loads[0](auth({ enabled: true }));
    await stale;
    expect((await fresh)?.enabled).toBe(false);
    expect((await cache.get('i-1'))?.enabled).toBe(false);
    expect(loads).toHaveLength(2);
  });

  it('still shares one load after an invalidation, when the load it replaced finishes first', async () => {
    const { service, loads } = controlledService();
    const cache = new IntegrationCache(service);
    const first = cache.get('i-1');
    cache.invalidate('i-1');
    const second = cache.get('i-1');
    loads[0](auth());
    await first;
    const third = cache.get('i-1');
    expect(loads).toHaveLength(2);
    loads[1](auth({ name: 'renamed' }));
    expect((await second)?.name).toBe('renamed');
    expect(await third).toBe(await second);
  });
});
