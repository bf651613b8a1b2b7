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

const TRANSIENT_CONFLICTS = new Set(['40P01', '40001']);

/**
 * Runs `run` again (up to `attempts` times in all, after a short random pause) when PostgreSQL aborted it for a
 * deadlock or a serialization failure with a concurrent writer; any other error, or the last attempt's, is thrown.
 */
export async function retryingTransientConflicts<T>(run: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const code = postgresErrorCode(error);
      if (attempt >= attempts || !code || !TRANSIENT_CONFLICTS.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
