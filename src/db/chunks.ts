/**
 * PGlite 0.4 silently breaks its connection when one statement carries more than 32,767 bind
 * parameters (PostgreSQL's own limit is 65,535), so multi-row INSERTs are split below it.
 */
export const MAX_BIND_PARAMETERS = 32_767;

/** The most rows a multi-row INSERT may carry when each row binds `parametersPerRow` values. */
export const rowsPerInsert = (parametersPerRow: number): number => Math.floor(MAX_BIND_PARAMETERS / parametersPerRow);

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
