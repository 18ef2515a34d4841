import { describe, expect, it } from 'vitest';
import { isUuid } from '../domain/shared/ids.js';
import { newRowId } from './row-id.js';

describe('newRowId', () => {
  it('is a UUID version 7 with the RFC 9562 variant, its first 48 bits the time in milliseconds', () => {
    const at = Date.UTC(2026, 10, 24, 18, 0, 0, 123);
    const id = newRowId(at);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts by the millisecond it was made in, and ids made in the same millisecond still differ', () => {
    const byMs = Array.from({ length: 100 }, (_, ms) => Array.from({ length: 10 }, () => newRowId(1_700_000_000_000 + ms * 7)).sort());
    for (let k = 1; k < byMs.length; k++) expect(byMs[k - 1]!.at(-1)! < byMs[k]![0]!).toBe(true);
    const sameMs = Array.from({ length: 10_000 }, () => newRowId(1_700_000_000_000));
    expect(new Set(sameMs).size).toBe(sameMs.length);
  });
});
