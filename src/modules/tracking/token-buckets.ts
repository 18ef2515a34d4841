/** A bucket's size and how fast it fills again. */
export interface BucketRule {
  /** Attempts allowed at once. */
  capacity: number;
  /** One attempt comes back every this many milliseconds. */
  refillMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key (a client address, an order number), in this process's memory: each attempt
 * takes a token, tokens come back at a steady rate up to the capacity. Time comes from the caller. Keys
 * are forgotten once their bucket is full again, and the oldest ones when there are more than `maxKeys`
 * (a flood of distinct keys cannot grow memory without bound; a forgotten key starts full, which only
 * ever errs towards letting a customer in).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rule: BucketRule,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes one token for `key`: 0 when allowed, otherwise the milliseconds until the next token. */
  take(key: string, now: number): number {
    const bucket = this.current(key, now);
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) * this.rule.refillMs);
    bucket.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, bucket); // most recently used last: the sweep drops the oldest first
    if (this.buckets.size > this.maxKeys) this.sweep(now);
    return 0;
  }

  private current(key: string, now: number): Bucket {
    const { capacity, refillMs } = this.rule;
    const b = this.buckets.get(key);
    if (!b) return { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + Math.max(0, now - b.at) / refillMs);
    b.at = now;
    return b;
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) / this.rule.refillMs >= this.rule.capacity) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(key);
    }
  }

  /** Keys currently remembered (tests). */
  get size(): number {
    return this.buckets.size;
  }
}
