import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from '../shared/domain-error';
import type { Page, PageArgs } from '../shared/page';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput('first', `must be between 0 and ${MAX_PAGE_SIZE}`);
  return first;
}

/** Opaque keyset cursor: the sort key and the id of the last row seen. */
export function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string): { sortKey: string; id: string } {
  try {
    const [sortKey, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof sortKey === 'string' && typeof id === 'string' && UUID.test(id)) return { sortKey, id };
  } catch {
    // fall through to the error below
  }
  throw badInput('after', 'is not a valid cursor');
}

/** For lists ordered by a timestamp: the cursor's sort key must be one, or it is bad input (not a failed cast). */
export function decodeTimeCursor(cursor: string): { at: Date; id: string } {
  const { sortKey, id } = decodeCursor(cursor);
  const at = new Date(sortKey);
  if (Number.isNaN(at.getTime())) throw badInput('after', 'is not a valid cursor');
  return { at, id };
}

/**
 * A catalog list (services, people, teams, policies, integrations) ordered by name, then id, keyset-paginated:
 * `filtered` holds the filters; the cursor is (name, id) of the last row seen.
 */
export async function pageByName<T extends ObjectLiteral & { id: string; name: string }>(
  filtered: SelectQueryBuilder<T>,
  alias: string,
  page: PageArgs,
): Promise<Page<T>> {
  const limit = pageSize(page.first);
  const query = filtered.clone();
  if (page.after) {
    const { sortKey, id } = decodeCursor(page.after);
    query.andWhere(`(${alias}.name, ${alias}.id) > (:cursorName, :cursorId::uuid)`, { cursorName: sortKey, cursorId: id });
  }
  const rows = await query.orderBy(`${alias}.name`, 'ASC').addOrderBy(`${alias}.id`, 'ASC').limit(limit + 1).getMany();
  const nodes = rows.slice(0, limit);
  return {
    nodes,
    cursors: nodes.map((row) => encodeCursor(row.name, row.id)),
    hasNextPage: rows.length > limit,
    totalCount: () => filtered.getCount(),
  };
}
