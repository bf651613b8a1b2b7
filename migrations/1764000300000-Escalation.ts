import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Escalation1764000300000 implements MigrationInterface {
  name = 'Escalation1764000300000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
