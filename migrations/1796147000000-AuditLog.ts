import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who changed which configuration, when, and how: one row per configuration mutation, written in the mutation's
 * own transaction (a change that rolls back leaves no entry). Entries are kept, never updated or pruned.
 */
export class AuditLog1796147000000 implements MigrationInterface {
  name = 'AuditLog1796147000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('TOKEN','PERSON','INTEGRATION','SYSTEM')),
        actor_id text,
        actor_person_id uuid,
        actor_label text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        changes jsonb NOT NULL DEFAULT '{}',
        request_id text
      ) WITH (fillfactor = 100)`);
    // The list is newest first, keyset-paginated by (occurred_at, id); each filter has an index leading with it.
    await db.query(`CREATE INDEX audit_entry_occurred_idx ON audit_entry (occurred_at DESC, id DESC)`);
    await db.query(`CREATE INDEX audit_entry_actor_idx ON audit_entry (actor_id, occurred_at DESC, id DESC)`);
    await db.query(`CREATE INDEX audit_entry_target_idx ON audit_entry (target_type, target_id, occurred_at DESC, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS audit_entry`);
  }
}
