import type { DataSource } from 'typeorm';
import { hashSecret } from '../../src/shared/secrets';

/** Inserts a service and an integration directly, for pipeline tests that bypass the API. */
export async function createServiceAndIntegration(db: DataSource, options: Record<string, unknown> = {}, vendor = 'ALERTMANAGER') {
  const [service] = await db.query(`INSERT INTO service (name, slug) VALUES ('Checkout', 'checkout-' || substr(md5(random()::text), 1, 8)) RETURNING id`);
  const [integration] = await db.query(
    `INSERT INTO integration (name, vendor, service_id, secret_hash, options, created_at, updated_at)
     VALUES ('prometheus', $1, $2, $3, $4, now(), now()) RETURNING id`,
    [vendor, service.id, hashSecret('secret'), JSON.stringify(options)],
  );
  return { serviceId: service.id as string, integrationId: integration.id as string };
}

/** Inserts an IN_PROGRESS maintenance window on the service directly (what suppressed alerts point at). */
export async function insertWindowInProgress(db: DataSource, serviceId: string): Promise<string> {
  const [team] = await db.query(`INSERT INTO team (name, created_at, updated_at) VALUES ('Ops ' || gen_random_uuid(), now(), now()) RETURNING id`);
  const [window] = await db.query(
    `INSERT INTO maintenance_window (title, team_id, status, kind, calendar, notice_business_days, notice_given_at, starts_at, ends_at, announced_at,
                                     announced_by_type, announced_by_name, started_at, created_at, updated_at)
     VALUES ('Patch night', $1, 'IN_PROGRESS', 'EMERGENCY', '{"region":null,"extraDates":[],"zone":"UTC"}', 0, now(), now(), now() + interval '1 hour', now(),
             'SYSTEM', 'test', now(), now(), now()) RETURNING id`,
    [team.id],
  );
  await db.query(`INSERT INTO maintenance_window_service (window_id, service_id, impact) VALUES ($1, $2, 'DEGRADED')`, [window.id, serviceId]);
  return window.id as string;
}
