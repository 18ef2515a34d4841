import pg from 'pg';
import { inlineParameters } from './sql-literal.js';

/**
 * The end of a statement that also commits its transaction: `…;\nCOMMIT` sent as one simple-protocol
 * message (StatementBatch.flush with `commit`). The transaction's last writes and its commit then cost one
 * round trip, and a row lock its last statement takes (a warehouse's pick load of the day, which every
 * order it serves updates) is released by the server itself, not held until the Node process, busy with
 * other requests, gets round to sending COMMIT.
 */
export const COMMIT_TAIL = ';\nCOMMIT';

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
 * Only kysely's promise-style calls are touched; anything else goes to pg unchanged.
 */
export class ServerClient extends pg.Client {
  #beginHeld = false;
  #committed = false;

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
    const sent = begun ? this.#withHeldBegin(text, parameters) : (super.query(text, parameters) as Promise<QueryResult | QueryResult[]>);
    return sent.then((answer) => {
      if (text.endsWith(COMMIT_TAIL)) this.#committed = true;
      if (!Array.isArray(answer)) return answer;
      // Several statements in one message answer one result each: the caller's is the last.
      return answer[answer.length - 1];
    });
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
