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
