import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../shared/domain-error';
import { requireUuid } from './validation';

/** A person named in an input: `field` is where, for the error. */
export interface PersonRef {
  field: string;
  id: string;
}

/** Every id must be a UUID of an existing person; BAD_USER_INPUT naming the first field whose person does not exist. */
export async function requirePeople(db: DataSource | EntityManager, refs: PersonRef[]): Promise<void> {
  const ids = refs.map((ref) => requireUuid(ref.field, ref.id));
  if (!ids.length) return;
  const rows: Array<{ id: string }> = await db.query(`SELECT id FROM person WHERE id = ANY($1::uuid[])`, [[...new Set(ids)]]);
  const known = new Set(rows.map((row) => row.id));
  const missing = ids.findIndex((id) => !known.has(id));
  if (missing >= 0) throw badInput(refs[missing].field, `person ${refs[missing].id} does not exist`);
}

export async function requirePerson(db: DataSource | EntityManager, field: string, id: string): Promise<void> {
  await requirePeople(db, [{ field, id }]);
}
