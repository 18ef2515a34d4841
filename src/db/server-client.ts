import crypto from 'node:crypto';
import pg from 'pg';
import { inlineParameters } from './sql-literal.js';

/**
 * The end of a statement that also commits its transaction: `…;\nCOMMIT` sent as one simple-protocol
 * message (StatementBatch.flush with `commit`). The transaction's last writes and its commit then cost one
 * round trip, and a row lock its last statement takes (a warehouse's pick load of the day, which every
 * order it serves updates) is released by the server itself, not held until the Node process, busy with
 * other requests, gets round to sending COMMIT.
 */
export const STATEMENT_SEPARATOR = ';\n';
export const COMMIT = 'COMMIT';
export const COMMIT_TAIL = STATEMENT_SEPARATOR + COMMIT;

/**
 * A statement with parameters is prepared on its connection (a named statement: parsed and planned once,
 * then only bound and run) from its PREPARE_AFTER-th use, as the JDBC driver does (prepareThreshold 5):
 * planning costs more than running most of our reads (the order facts read: 1.1 ms unnamed, 0.45 ms
 * prepared). At most MAX_PREPARED per connection, the first to get there; texts made on the fly (an IN
 * list per length) are counted in a bounded table and forgotten when it fills.
 */
const PREPARE_AFTER = 5;
const MAX_PREPARED = 256;
const MAX_COUNTED = 2_048;

type QueryResult = pg.QueryResult;
const completed = (command: string): QueryResult => ({ command, rowCount: null, oid: 0, rows: [], fields: [] });

/**
 * The pg client of the server pool: a transaction's BEGIN and COMMIT ride in the messages of its own
 * statements instead of costing a round trip each (under load a round trip waits in the busy event
 * loop's queue for many milliseconds, holding its pooled connection and the locks taken so far).
 * - `begin` (as kysely sends it) is held back and goes in one message with the transaction's first
 *   statement, `begin;\n<statement>`, its parameters inlined as literals (sql-literal.ts); a statement
 *   whose values have no text form gets its BEGIN queued just before it. A transaction that runs nothing
 *   sends nothing.
 * - After a statement ending in COMMIT_TAIL succeeded, kysely's own `commit` is answered here; should it
 *   fail, the transaction rolls back as usual.
 * - A statement with parameters used often is prepared on the connection (PREPARE_AFTER).
 * Only kysely's promise-style calls are touched; anything else goes to pg unchanged.
 */
export class ServerClient extends pg.Client {
  #beginHeld = false;
  #committed = false;
  /** Uses of each text not prepared yet; the name of each prepared one. */
  readonly #uses = new Map<string, number>();
  readonly #prepared = new Map<string, string>();

  override query(...args: any[]): any {
    const [text, values, callback] = args as [unknown, unknown, unknown];
    if (typeof text !== 'string' || typeof values === 'function' || callback !== undefined) {
      this.#sendHeldBegin();
      return super.query(...(args as Parameters<pg.Client['query']>));
    }
    const parameters = (values as unknown[] | undefined) ?? [];
    if (text === 'begin') {
      this.#sendHeldBegin(); // a second begin inside a transaction: the server warns, as it would have
      this.#beginHeld = true;
      this.#committed = false;
      return Promise.resolve(completed('BEGIN'));
    }
    if ((text === 'commit' || text === 'rollback') && this.#beginHeld) {
      this.#beginHeld = false;
      return Promise.resolve(completed(text.toUpperCase()));
    }
    if (text === 'commit' && this.#committed) {
      this.#committed = false;
      return Promise.resolve(completed('COMMIT'));
    }
    if (text === 'rollback') this.#committed = false;
    const begun = this.#beginHeld;
    const sent = begun ? this.#withHeldBegin(text, parameters) : this.#send(text, parameters);
    return sent.then((answer) => {
      if (text.endsWith(COMMIT_TAIL)) this.#committed = true;
      if (!Array.isArray(answer)) return answer;
      // Several statements in one message answer one result each: the caller's is the last.
      return answer[answer.length - 1];
    });
  }

  #send(text: string, parameters: unknown[]): Promise<QueryResult | QueryResult[]> {
    const name = parameters.length > 0 ? this.#nameFor(text) : undefined;
    return (name === undefined ? super.query(text, parameters) : super.query({ name, text, values: parameters })) as Promise<QueryResult | QueryResult[]>;
  }

  /** The statement's name once it is to be prepared (pg parses it on its first named use on this connection). */
  #nameFor(text: string): string | undefined {
    const name = this.#prepared.get(text);
    if (name !== undefined || this.#prepared.size >= MAX_PREPARED) return name;
    const uses = (this.#uses.get(text) ?? 0) + 1;
    if (uses < PREPARE_AFTER) {
      if (this.#uses.size >= MAX_COUNTED) this.#uses.clear();
      this.#uses.set(text, uses);
      return undefined;
    }
    this.#uses.delete(text);
    const prepared = `ordo_${crypto.createHash('sha1').update(text).digest('hex')}`;
    this.#prepared.set(text, prepared);
    return prepared;
  }

  #withHeldBegin(text: string, parameters: unknown[]): Promise<QueryResult | QueryResult[]> {
    this.#beginHeld = false;
    const inlined = parameters.length === 0 ? text : inlineParameters(text, parameters);
    if (inlined === undefined) {
      this.#sendBegin();
      return super.query(text, parameters) as Promise<QueryResult>;
    }
    return super.query(`begin;\n${inlined}`) as unknown as Promise<QueryResult[]>;
  }

  #sendHeldBegin(): void {
    if (!this.#beginHeld) return;
    this.#beginHeld = false;
    this.#sendBegin();
  }

  /** Queued before whatever the caller sends next (pg sends a client's queries in order): its failure shows there. */
  #sendBegin(): void {
    (super.query('begin') as Promise<unknown>).catch(() => undefined);
  }
}
