import { conflict } from '../shared/domain-error';

/** The PostgreSQL SQLSTATE of an error from `pg` directly or wrapped by TypeORM (QueryFailedError.driverError). */
export function postgresErrorCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}

const UNIQUE_VIOLATION = '23505';

/** Runs a write; if it breaks a unique constraint (someone holds the name, say), CONFLICT with `message` instead. */
export async function conflictOnDuplicate<T>(write: () => Promise<T>, message: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (postgresErrorCode(error) === UNIQUE_VIOLATION) throw conflict(message);
    throw error;
  }
}
