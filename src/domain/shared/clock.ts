/** Time comes in as a parameter: production uses the system clock, tests set it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** The system clock shifted so that it reads `start` now, then runs at normal speed (demos, benchmarks). */
export function clockStartingAt(start: number): Clock {
  const offset = start - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
