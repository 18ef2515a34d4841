import type { FastifyBaseLogger } from 'fastify';

/**
 * A periodic job: never overlaps itself, logs (never throws) on failure, and `stop()` waits for the
 * run in progress so shutdown does not cut a transaction in half.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly run: () => Promise<unknown>,
    private readonly log?: Pick<FastifyBaseLogger, 'error'>,
    /**
     * Runs in every server process (it keeps that process's memory up to date), not only in the one
     * that runs the background jobs of a cluster (see cluster.ts).
     */
    readonly everyProcess = false,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Runs once now (also used by tests to drive the job deterministically). */
  async tick(): Promise<void> {
    try {
      await this.run();
    } catch (err) {
      this.log?.error({ err, task: this.name }, 'background task failed');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
