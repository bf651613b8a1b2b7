import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MaintenanceCadence1796153000000 implements MigrationInterface {
  name = 'MaintenanceCadence1796153000000';

  async up(db: QueryRunner): Promise<void> {
    // CommunicationCadence left this key out because maintenance_window did not exist on its branch; an obligation
    // goes with its window, as an incident's goes with its incident.
    await db.query(`DELETE FROM communication_obligation o WHERE maintenance_window_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM maintenance_window w WHERE w.id = o.maintenance_window_id)`);
    await db.query(
      `ALTER TABLE communication_obligation ADD CONSTRAINT communication_obligation_maintenance_window_fkey
         FOREIGN KEY (maintenance_window_id) REFERENCES maintenance_window(id) ON DELETE CASCADE`,
    );
    // The update on the window's timeline (postMaintenanceUpdate) that met a MAINTENANCE_UPDATE obligation.
    await db.query(`ALTER TABLE communication_obligation ADD COLUMN met_by_maintenance_event_id uuid REFERENCES maintenance_event(id) ON DELETE SET NULL`);
    await db.query(`CREATE INDEX communication_obligation_window_idx ON communication_obligation (maintenance_window_id, due_at) WHERE maintenance_window_id IS NOT NULL`);
    // "Every hour during maintenance" (../shared/DOMAIN.md), whatever the priority of the window's incident; null asks for none.
    await db.query(`ALTER TABLE communication_policy ADD COLUMN maintenance_update_minutes integer CHECK (maintenance_update_minutes BETWEEN 1 AND 10080)`);
    await db.query(`UPDATE communication_policy SET maintenance_update_minutes = 60`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE communication_policy DROP COLUMN IF EXISTS maintenance_update_minutes`);
    await db.query(`DROP INDEX IF EXISTS communication_obligation_window_idx`);
    await db.query(`ALTER TABLE communication_obligation DROP COLUMN IF EXISTS met_by_maintenance_event_id`);
    await db.query(`ALTER TABLE communication_obligation DROP CONSTRAINT IF EXISTS communication_obligation_maintenance_window_fkey`);
  }
}
