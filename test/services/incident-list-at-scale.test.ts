import { ESTIMATED_COUNT_FROM } from '../../src/services/incident-query.service';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Reads at scale: with more than ESTIMATED_COUNT_FROM incidents an unfiltered totalCount is PostgreSQL's estimate
 * (an exact count would read every row on every request), filtered counts stay exact, and titleContains is served by
 * the trigram index instead of a scan of the table.
 */
describe('incident lists over a large table', () => {
  let t: TestApp;
  let serviceId: string;
  const sql = <T = Record<string, unknown>>(text: string, parameters: unknown[] = []): Promise<T[]> => t.app.db.query(text, parameters);

  const list = async (filter: Record<string, unknown> | null) => {
    const result = await t.gql<{ incidents: { totalCount: number; edges: Array<{ node: { title: string } }> } }>(
      `query($filter: IncidentFilter) { incidents(first: 5, filter: $filter) { totalCount edges { node { title } } } }`,
      { filter },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.incidents;
  };

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    serviceId = (await t.app.services.catalog.createService({ name: 'Voice', slug: 'voice' })).id;
  });
  afterAll(() => t.close());

  it('counts exactly while the table is small, whether filtered or not', async () => {
    await sql(
      `INSERT INTO incident (title, service_id, priority, status, source, opened_at, updated_at)
       SELECT 'small ' || n, $1, 'P3', 'TRIGGERED', 'MONITORING', now() - n * interval '1 second', now() FROM generate_series(1, 7) n`,
      [serviceId],
    );
    expect((await list(null)).totalCount).toBe(7);
    expect((await list({ titleContains: 'small 3' })).totalCount).toBe(1);
  });

  it('answers an unfiltered totalCount from the estimate past the threshold, and filtered ones exactly', async () => {
    const bulk = ESTIMATED_COUNT_FROM + 5_000;
    await sql(
      `INSERT INTO incident (title, service_id, priority, status, source, opened_at, updated_at)
       SELECT 'bulk incident ' || n, $1, 'P4', CASE WHEN n % 1000 = 0 THEN 'ACKNOWLEDGED' ELSE 'TRIGGERED' END, 'MONITORING',
              now() - interval '1 day' - n * interval '1 second', now()
         FROM generate_series(1, $2::int) n`,
      [serviceId, bulk],
    );
    await sql(`ANALYZE incident`);
    // Rows added after the ANALYZE: an exact count would include them, the estimate does not (yet).
    await sql(
      `INSERT INTO incident (title, service_id, priority, status, source, opened_at, updated_at)
       SELECT 'late ' || n, $1, 'P4', 'TRIGGERED', 'MONITORING', now(), now() FROM generate_series(1, 3) n`,
      [serviceId],
    );
    const [{ estimate }] = await sql<{ estimate: number }>(`SELECT reltuples::bigint::int AS estimate FROM pg_class WHERE oid = 'incident'::regclass`);
    const [{ exact }] = await sql<{ exact: number }>(`SELECT count(*)::int AS exact FROM incident`);
    expect(exact).toBe(7 + bulk + 3);

    const unfiltered = await list(null);
    expect(unfiltered.totalCount).toBe(estimate);
    expect(unfiltered.totalCount).not.toBe(exact);
    expect(Math.abs(unfiltered.totalCount - exact) / exact).toBeLessThan(0.05);

    expect((await list({ status: ['ACKNOWLEDGED'] })).totalCount).toBe(Math.floor(bulk / 1000));
    const late = await list({ titleContains: 'late ' });
    expect(late.totalCount).toBe(3);
    expect(late.edges.map((edge) => edge.node.title).sort()).toEqual(['late 1', 'late 2', 'late 3']);
  });

  it('finds a title substring through the trigram index, not a scan', async () => {
    await sql(
      `INSERT INTO incident (title, service_id, priority, status, source, opened_at, updated_at)
       VALUES ('Twilio SMS delivery degraded in region EU', $1, 'P2', 'TRIGGERED', 'MONITORING', now(), now())`,
      [serviceId],
    );
    const plan = await sql<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM incident WHERE title ILIKE '%delivery degraded%'`);
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('incident_title_trgm_idx');
    const found = await list({ titleContains: 'delivery DEGRADED' });
    expect(found.totalCount).toBe(1);
    expect(found.edges[0].node.title).toBe('Twilio SMS delivery degraded in region EU');
  });
});
