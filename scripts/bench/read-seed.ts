import type { Pool } from 'pg';

/**
 * A realistic data set for npm run bench:graphql, written in bulk with SQL: people, services with owners,
 * incidents over the last 90 days (most resolved) with ten timeline events, three alerts, two status updates and a
 * mitigation step each. The follow-the-sun schedule is created through the API (its rules are the server's).
 */
export async function seedReadData(pool: Pool, incidents: number): Promise<void> {
  await pool.query(`
    INSERT INTO person (name, email, phone, time_zone)
    SELECT 'Person ' || n, 'person' || n || '@example.com', '+3519100' || lpad(n::text, 5, '0'), 'Europe/Lisbon' FROM generate_series(1, 50) n`);
  await pool.query(`
    INSERT INTO service (name, slug, description, owner_id)
    SELECT 'Service ' || n, 'service-' || n, 'A service of the bench', (SELECT id FROM person ORDER BY email OFFSET n LIMIT 1)
      FROM generate_series(1, 10) n`);
  await pool.query(`
    INSERT INTO integration (name, vendor, service_id, secret_hash, created_at, updated_at)
    SELECT 'generic ' || s.slug, 'GENERIC', s.id, md5(s.id::text), now(), now() FROM service s`);
  await seedIncidents(pool, incidents, { withDetails: true });
}

/** Incidents in bulk (and, with details, what the read queries show of them); batched so memory stays flat. */
export async function seedIncidents(pool: Pool, count: number, { withDetails }: { withDetails: boolean }): Promise<void> {
  const batch = 50_000;
  for (let first = 1; first <= count; first += batch) {
    const last = Math.min(count, first + batch - 1);
    await pool.query(
      `WITH services AS (SELECT array_agg(id ORDER BY slug) AS ids FROM service),
            people AS (SELECT array_agg(id ORDER BY email) AS ids FROM person)
       INSERT INTO incident (title, description, service_id, priority, status, resolution, source, impact_locations, impact_channels,
                             owner_id, opened_at, acknowledged_at, resolved_at, updated_at)
       SELECT CASE n % 7 WHEN 0 THEN 'SMS delivery delayed in region ' ELSE 'Error rate above threshold on host ' END || n,
              'Seeded for the read benchmark', services.ids[1 + n % array_length(services.ids, 1)],
              (ARRAY['P1','P2','P3','P4'])[1 + n % 4],
              CASE WHEN n % 10 = 0 THEN 'TRIGGERED' WHEN n % 10 = 1 THEN 'ACKNOWLEDGED' ELSE 'RESOLVED' END,
              CASE WHEN n % 10 IN (0, 1) THEN NULL ELSE 'FIXED' END,
              'MONITORING', ARRAY['eu-west'], ARRAY['SMS'],
              CASE WHEN n % 3 = 0 THEN NULL ELSE people.ids[1 + n % array_length(people.ids, 1)] END,
              now() - (n * interval '90 days' / $3), now() - (n * interval '90 days' / $3) + interval '2 minutes',
              CASE WHEN n % 10 IN (0, 1) THEN NULL ELSE now() - (n * interval '90 days' / $3) + interval '1 hour' END,
              now() - (n * interval '90 days' / $3) + interval '1 hour'
         FROM generate_series($1::int, $2::int) n, services, people`,
      [first, last, count],
    );
  }
  if (!withDetails) return;
  await pool.query(`
    INSERT INTO timeline_event (incident_id, kind, at, actor_type, actor_id, actor_name, message, data)
    SELECT i.id, (ARRAY['INCIDENT_DECLARED','ALERTS_ATTACHED','NOTIFICATION_SENT','NOTE_ADDED','ACKNOWLEDGED'])[1 + k % 5],
           i.opened_at + k * interval '3 minutes', 'SYSTEM', NULL, 'incident-bridge', 'event ' || k || ' of incident ' || i.number, '{}'
      FROM incident i, generate_series(0, 9) k`);
  await pool.query(`
    INSERT INTO alert (integration_id, service_id, fingerprint, group_key, status, severity, kind, summary, incident_id, occurrences,
                       first_seen_at, last_seen_at, resolved_at)
    SELECT g.id, i.service_id, 'fp-' || i.number || '-' || k, 'group-' || i.number, CASE WHEN i.resolved_at IS NULL THEN 'FIRING' ELSE 'RESOLVED' END,
           'WARNING', 'ALERT', 'alert ' || k || ' of incident ' || i.number, i.id, 1 + k, i.opened_at + k * interval '1 minute',
           i.opened_at + k * interval '2 minutes', i.resolved_at
      FROM incident i JOIN integration g ON g.service_id = i.service_id, generate_series(0, 2) k`);
  await pool.query(`
    INSERT INTO status_update (incident_id, body, audience, author_name, posted_at)
    SELECT i.id, 'Update ' || k || ': we are looking into it', (ARRAY['INTERNAL','PUBLIC'])[1 + k % 2], 'bench', i.opened_at + (k + 1) * interval '10 minutes'
      FROM incident i, generate_series(0, 1) k`);
  await pool.query(`
    INSERT INTO mitigation_step (incident_id, description, status, temporary, announced_at, updated_at)
    SELECT i.id, 'Fail over to the standby gateway', 'EFFECTIVE', false, i.opened_at + interval '5 minutes', i.opened_at + interval '5 minutes'
      FROM incident i`);
  await pool.query('ANALYZE');
}

/** The follow-the-sun schedule over the API (as an admin would create it): three daily 8-hour layers, two backups. */
export function followTheSunInput(people: string[]) {
  const layer = (name: string, personId: string, start: string, end: string) => ({
    name,
    participants: [personId],
    rotation: { unit: 'DAYS', length: 1 },
    start: '2026-01-01T00:00',
    restrictions: [{ start, end }],
  });
  return {
    name: 'Follow the sun',
    timeZone: 'UTC',
    layers: [layer('EMEA', people[0], '02:00', '10:00'), layer('Americas', people[1], '10:00', '18:00'), layer('APAC', people[2], '18:00', '02:00')],
    backupPersonIds: [people[3], people[4]],
  };
}
