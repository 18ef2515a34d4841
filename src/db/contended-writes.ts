import type { StatementBatch } from './statement-batch.js';

/** A guarded write kept for the end of the transaction: a function call that raises to refuse. */
export interface ContendedWrite {
  /** A PL/pgSQL function returning void, taking one JSON argument (see StatementBatch.call). */
  fn: string;
  jsonArgument: string;
  /** The caller's error for the database's refusal of this write, undefined for any other error. */
  refusal(err: unknown): Error | undefined;
}

/**
 * Writes to rows that many transactions update at once (a warehouse's pick load of the day, which every
 * order it serves adds to), kept for the end of the transaction: a row lock taken early is held through
 * every later statement, so the orders of a warehouse would queue one whole transaction after another;
 * taken last, just before commit, it is held for one statement. They go as the last statements of the
 * transaction's statement batch (no round trip of their own); their guards still roll everything back,
 * so the outcome is the same as writing them in place.
 */
export class ContendedWrites {
  private readonly writes: ContendedWrite[] = [];

  add(write: ContendedWrite): void {
    this.writes.push(write);
  }

  /** Flushes `batch` with the kept writes last (and `commit`, see StatementBatch.flush). Call it last in the transaction. */
  async flushWith(batch: StatementBatch, opts: { commit?: boolean } = {}): Promise<void> {
    const writes = this.writes.splice(0);
    for (const w of writes) batch.call(w.fn, w.jsonArgument);
    try {
      await batch.flush(opts);
    } catch (err) {
      for (const w of writes) {
        const refused = w.refusal(err);
        if (refused) throw refused;
      }
      throw err;
    }
  }
}
