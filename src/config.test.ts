import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { clockStartingAt } from './domain/shared/clock.js';

const server = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ordo' };

describe('ORDO_WORKERS and ORDO_CLOCK_START', () => {
  it('runs one process by default, N or one per CPU on the PostgreSQL server', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ ...server, ORDO_WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ ...server, ORDO_WORKERS: 'auto' }).workers).toBe(availableParallelism());
  });

  it('refuses several workers on the embedded database, and nonsense counts', () => {
    expect(() => loadConfig({ ORDO_WORKERS: '2' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...server, ORDO_WORKERS: '0' })).toThrow('ORDO_WORKERS must be an integer between 1 and 64');
    expect(() => loadConfig({ ...server, ORDO_WORKERS: 'many' })).toThrow(ConfigError);
  });

  it('starts the clock at the instant given, or refuses what is not an ISO instant', () => {
    expect(loadConfig({}).clockStart).toBeUndefined();
    const start = loadConfig({ ORDO_CLOCK_START: '2026-11-24T10:00:00Z' }).clockStart!;
    expect(start).toBe(Date.parse('2026-11-24T10:00:00Z'));
    const clock = clockStartingAt(start);
    expect(Math.abs(clock.now().getTime() - start)).toBeLessThan(1_000);
    expect(() => loadConfig({ ORDO_CLOCK_START: 'tuesday' })).toThrow('ORDO_CLOCK_START must be an ISO instant');
    expect(() => loadConfig({ ORDO_CLOCK_START: '24/11/2026' })).toThrow(ConfigError);
  });
});
