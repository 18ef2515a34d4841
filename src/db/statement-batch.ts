import crypto from 'node:crypto';
import { sql, type Compilable, type Insertable } from 'kysely';
import { chunks, rowsPerInsert } from './chunks.js';
import { COMMIT, STATEMENT_SEPARATOR } from './server-client.js';
import type { Tx } from './database.js';
import type { DB } from './schema.js';
import { inlineLiterals, quote } from './sql-literal.js';

/**
 * Writes whose results nobody reads (inserts without RETURNING, updates), kept and sent to the database
 * in ONE round trip when flushed, in the order they were added: on a server as one message of several
 * statements, on PGlite (one statement per query) as an anonymous PL/pgSQL block running them;
 * parameters inlined as quoted literals (as text, the way the driver sends them: PostgreSQL types an
 * untyped literal from its context exactly as it types a bound parameter). On a server every round trip costs a
 * write and a read system call on each side; an order's dozen such writes cost as much as its queries.
 * A failing statement fails the flush, with the statement's own error (constraint, SQLSTATE), so the
 * caller's transaction rolls back as if it had run alone. Rows must not be referenced by foreign keys
 * of statements run before the flush.
 */
export class StatementBatch {
  private readonly statements: string[] = [];

  /** `multiStatement`: the database runs a message of several statements (runsMultiStatementMessages). */
  constructor(
    private readonly tx: Tx,
    private readonly opts: { multiStatement: boolean },
  ) {}

  add(query: Compilable): void {
    const compiled = query.compile();
    this.statements.push(inlineLiterals(compiled.sql, compiled.parameters.map(literal)));
  }

  /**
   * `INSERT INTO table (columns) VALUES (...), ...` written here from the rows, as kysely's `values(rows)`
   * writes it (the columns any row gives a value; DEFAULT where a row gives none), without building and
   * compiling a query tree: an order's dozen inserts cost ~10 % of its Node CPU through kysely.
   */
  insert<T extends keyof DB & string>(table: T, rows: ReadonlyArray<Insertable<DB[T]>>): void {
    if (rows.length === 0) return;
    this.statements.push(insertStatement(table, rows as ReadonlyArray<Record<string, unknown>>));
  }

  /**
   * An insert run before every statement kept so far: for a claim (an Idempotency-Key) that must be the
   * transaction's first write although its row is known only once the others are written.
   */
  insertFirst<T extends keyof DB & string>(table: T, rows: ReadonlyArray<Insertable<DB[T]>>): void {
    if (rows.length === 0) return;
    this.insert(table, rows);
    this.statements.unshift(this.statements.pop()!);
  }

  /**
   * A call of a function returning void, with one JSON argument (`SELECT fn(arg)`, PERFORM in a block): for
   * writes with a guard of their own, which raise to refuse.
   */
  call(fn: string, jsonArgument: string): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(fn)) throw new Error(`StatementBatch: ${fn} is not a function name`);
    this.statements.push(`${CALL}${fn}(${quote(jsonArgument)}::json)`);
  }

  get size(): number {
    return this.statements.length;
  }

  /**
   * Runs the kept statements. With `commit` (only with `multiStatement`, and only as the transaction's
   * last statement: nothing may run after it) the same message commits the transaction (see
   * server-client.ts); with nothing kept, the transaction commits as usual.
   */
  async flush(opts: { commit?: boolean } = {}): Promise<void> {
    const statements = this.statements.splice(0);
    if (statements.length === 0) return;
    if (opts.commit && !this.opts.multiStatement) throw new Error('StatementBatch: only a multi-statement batch can carry the COMMIT');
    // A plain message costs the server less than a block: PL/pgSQL compiles the block before running it
    // (measured on an order's ~16 writes: 3.5 ms against 4.0 ms). The COMMIT is joined with the rest, not
    // appended: an order's ~26 KB text is then made once, flat, where `text + COMMIT_TAIL` is a rope that
    // the client's endsWith(COMMIT_TAIL) copies again.
    if (statements.length === 1 || this.opts.multiStatement) {
      const parts = statements.map((s) => asStatement(s, 'SELECT '));
      if (opts.commit) parts.push(COMMIT);
      return void (await sql.raw(parts.join(STATEMENT_SEPARATOR)).execute(this.tx));
    }
    // A dollar-quote tag no inlined literal can contain.
    const tag = `$b${crypto.randomBytes(6).toString('hex')}$`;
    const body = statements.map((s) => asStatement(s, 'PERFORM ')).join(STATEMENT_SEPARATOR);
    await sql.raw(`DO ${tag} BEGIN\n${body};\nEND ${tag}`).execute(this.tx);
  }
}

/** Marks a call: PERFORM in the block, SELECT alone (no SQL statement starts with it). */
const CALL = '\u0000call ';
const asStatement = (kept: string, call: string): string => (kept.startsWith(CALL) ? call + kept.slice(CALL.length) : kept);

function insertStatement(table: string, rows: ReadonlyArray<Record<string, unknown>>): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const column in row) {
      if (row[column] !== undefined && !seen.has(column)) {
        seen.add(column);
        columns.push(column);
      }
    }
  }
  const values = rows.map((row) => `(${columns.map((c) => (row[c] === undefined ? 'DEFAULT' : literal(row[c]))).join(', ')})`);
  return `insert into ${identifier(table)} (${columns.map(identifier).join(', ')}) values ${values.join(', ')}`;
}

const identifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return `'${value.toISOString()}'`;
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
    case 'bigint':
    case 'boolean':
      return `'${String(value)}'`;
    default:
      // Arrays and objects have several SQL forms (array, json): callers pass them as text.
      throw new Error(`StatementBatch: pass ${Array.isArray(value) ? 'an array' : typeof value} parameters as text`);
  }
}

/** A JSON column's value as a row answered in process reads it back: the text a batched insert was given, parsed. */
export function storedJson<T>(text: string | null | undefined): T | null {
  return text === null || text === undefined ? null : (JSON.parse(text) as T);
}

/** Runs a write now, or keeps it for the batch's flush when the caller gives one. */
export async function writeNowOrLater(query: Compilable & { execute(): Promise<unknown> }, batch?: StatementBatch): Promise<void> {
  if (batch) batch.add(query);
  else await query.execute();
}

/** Inserts rows now, or leaves them to the batch's flush (StatementBatch.insert) when the caller gives one. */
export async function insertNowOrLater<T extends keyof DB & string>(tx: Tx, table: T, rows: ReadonlyArray<Insertable<DB[T]>>, batch?: StatementBatch): Promise<void> {
  if (rows.length === 0) return;
  if (batch) return batch.insert(table, rows);
  // A loop, not Math.max(...): a spread of ~100,000 rows (a network loaded at once) overflows the stack.
  let columns = 0;
  for (const row of rows) columns = Math.max(columns, Object.keys(row).length);
  // kysely's values() takes any insert object of the table; its generic form cannot be named from here.
  for (const part of chunks(rows, rowsPerInsert(columns))) await tx.insertInto(table).values(part as never).execute();
}
