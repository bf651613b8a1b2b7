/** The PostgreSQL SQLSTATE of an error from `pg` directly or wrapped by TypeORM (QueryFailedError.driverError). */
export function postgresErrorCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}
