import type { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = ['ALERTMANAGER', 'GRAFANA', 'AZURE_MONITOR', 'TWILIO', 'SAP_ALERT_NOTIFICATION', 'STATUSPAGE', 'GENERIC'];
/** Opsgenie's Alert API, inbound e-mail and polled provider status feeds (#16); PagerDuty's Events API v2 uses GENERIC keys. */
const ADDED = ['OPSGENIE', 'EMAIL', 'STATUS_FEED'];

const check = (vendors: string[]) => `CHECK (vendor IN (${vendors.map((vendor) => `'${vendor}'`).join(',')}))`;

export class MoreVendors1796157000000 implements MigrationInterface {
  name = 'MoreVendors1796157000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE integration DROP CONSTRAINT integration_vendor_check, ADD CONSTRAINT integration_vendor_check ${check([...BEFORE, ...ADDED])}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE integration DROP CONSTRAINT integration_vendor_check, ADD CONSTRAINT integration_vendor_check ${check(BEFORE)}`);
  }
}
