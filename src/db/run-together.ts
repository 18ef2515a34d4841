import { sql, type CompiledQuery } from 'kysely';
import type { Tx } from './database.js';
import { ALL_RESULTS } from './server-client.js';
import { inlineParameters } from './sql-literal.js';

/**
 * Runs queries in order and answers each one's rows. With `multiStatement` (a server: see
 * runsMultiStatementMessages) they go in ONE message, their parameters inlined as literals; otherwise
 * one by one. Either way a failing query fails the call and those after it do not run (the caller's
 * transaction then rolls back). For queries a command needs answered at once and that do not depend on
 * each other's answers.
 */
export async function runTogether(tx: Tx, multiStatement: boolean, queries: readonly CompiledQuery[]): Promise<unknown[][]> {
  const texts = multiStatement && queries.length > 1 ? queries.map((q) => (q.parameters.length === 0 ? q.sql : inlineParameters(q.sql, q.parameters))) : [];
  if (texts.length > 0 && texts.every((t) => t !== undefined)) {
    const { rows } = await sql.raw<{ rows: unknown[] }>(ALL_RESULTS + texts.join(';\n')).execute(tx);
    if (rows.length !== queries.length) throw new Error(`runTogether: ${queries.length} statements answered ${rows.length} results`);
    return rows.map((r) => r.rows);
  }
  const answered: unknown[][] = [];
  for (const q of queries) answered.push((await tx.executeQuery(q)).rows as unknown[]);
  return answered;
}
