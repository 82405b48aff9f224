/** SQLSTATE and constraint of a failed query, when PostgreSQL refused it. */
export function pgError(e: unknown): { code?: string; constraint?: string; detail?: string } {
  const err = e as { driverError?: { code?: string; constraint?: string; detail?: string }; code?: string; constraint?: string; detail?: string };
  return err?.driverError ?? err ?? {};
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const CHECK_VIOLATION = '23514';

/** The rows of a RETURNING query: TypeORM gives UPDATE/DELETE results as [rows, affected count]. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
