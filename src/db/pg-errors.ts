/**
 * A PostgreSQL unique violation (SQLSTATE 23505), on `constraint` when given: a racing writer inserted
 * the same key first. Both drivers (pg, PGlite) put the SQLSTATE in `code` and the index in `constraint`.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null | undefined;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
