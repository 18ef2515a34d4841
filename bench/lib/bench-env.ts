/** What every figure gets from the runner. */
export interface BenchEnv {
  quick: boolean;
  /** Measured window in seconds: the full value, or a short one in --quick mode. */
  seconds(full: number, quick?: number): number;
  /** Warm-up before each measured window, in seconds. */
  warmupS: number;
  log(message: string): void;
}
