/**
 * When PostgreSQL's autovacuum would vacuum or analyze a table, with its default settings
 * (relation_needs_vacanalyze in autovacuum.c). The embedded database runs without autovacuum, so Ordo
 * applies these rules itself (embedded-vacuum.ts).
 */
export const AUTOVACUUM_DEFAULTS = {
  /** Dead tuples: autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor × reltuples. */
  vacuumThreshold: 50,
  vacuumScaleFactor: 0.2,
  /** Inserts since the last vacuum (sets the visibility map of append-mostly tables such as the outbox). */
  insertThreshold: 1_000,
  insertScaleFactor: 0.2,
  /** Rows inserted, updated or deleted since the last analyze. */
  analyzeThreshold: 50,
  analyzeScaleFactor: 0.1,
  /** autovacuum_freeze_max_age: transactions before a table must be vacuumed against xid wraparound. */
  freezeMaxAge: 200_000_000,
} as const;

/** One table's counters (pg_stat_all_tables) and size estimate (pg_class). */
export interface TableActivity {
  schema: string;
  table: string;
  /** pg_class.reltuples: the rows the last VACUUM or ANALYZE counted, -1 before the first. */
  reltuples: number;
  deadTuples: number;
  insertedSinceVacuum: number;
  modifiedSinceAnalyze: number;
  /** age(relfrozenxid). */
  xidAge: number;
}

export interface TableUpkeep {
  schema: string;
  table: string;
  /** `vacuum` is run as VACUUM (ANALYZE): the statistics are refreshed on the way. */
  action: 'vacuum' | 'analyze';
  reason: 'dead_tuples' | 'inserts' | 'wraparound' | 'modifications';
  /** The counter that crossed its threshold, and that threshold. */
  count: number;
  threshold: number;
}

/** The tables due for a vacuum or an analyze, the furthest past its threshold first. */
export function tablesDue(tables: readonly TableActivity[]): TableUpkeep[] {
  const due = tables.map(upkeep).filter((u): u is TableUpkeep => u !== undefined);
  return due.sort((a, b) => b.count / b.threshold - a.count / a.threshold);
}

function upkeep(t: TableActivity): TableUpkeep | undefined {
  const rules = AUTOVACUUM_DEFAULTS;
  // Like autovacuum: a table never vacuumed nor analyzed counts as empty, so its first rows make it due.
  const rows = Math.max(t.reltuples, 0);
  const due = (action: TableUpkeep['action'], reason: TableUpkeep['reason'], count: number, threshold: number) =>
    count > threshold ? { schema: t.schema, table: t.table, action, reason, count, threshold } : undefined;
  // ANALYZE silently skips pg_statistic (it holds the statistics), so its count never goes back down.
  const analyzable = !(t.schema === 'pg_catalog' && t.table === 'pg_statistic');
  return (
    due('vacuum', 'wraparound', t.xidAge, rules.freezeMaxAge) ??
    due('vacuum', 'dead_tuples', t.deadTuples, rules.vacuumThreshold + rules.vacuumScaleFactor * rows) ??
    due('vacuum', 'inserts', t.insertedSinceVacuum, rules.insertThreshold + rules.insertScaleFactor * rows) ??
    (analyzable ? due('analyze', 'modifications', t.modifiedSinceAnalyze, rules.analyzeThreshold + rules.analyzeScaleFactor * rows) : undefined)
  );
}
