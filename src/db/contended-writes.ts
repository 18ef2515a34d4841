/**
 * Writes to rows that many transactions update at once (a warehouse's pick load of the day, which every
 * order it serves adds to), kept for the end of the transaction: a row lock taken early is held through
 * every later statement, so the orders of a warehouse would queue one whole transaction after another;
 * taken last, just before commit, it is held for one statement. Their checks still roll everything
 * back (they throw inside the transaction), so the outcome is the same as writing them in place.
 */
export class ContendedWrites {
  private readonly pending: Array<() => Promise<void>> = [];

  add(write: () => Promise<void>): void {
    this.pending.push(write);
  }

  /** Runs the kept writes, in the order they were added. Call it last in the transaction. */
  async flush(): Promise<void> {
    for (const write of this.pending.splice(0)) await write();
  }
}
