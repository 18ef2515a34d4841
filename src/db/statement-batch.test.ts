import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { quote } from './statement-batch.js';

describe('quote', () => {
  it('writes every string exactly as pg.escapeLiteral does', () => {
    const tricky = fc.constantFrom("'", '\\', '$', '$$', "\\'", 'é', '€', '\n', '"', '😀');
    const text = fc.array(fc.oneof(fc.string(), tricky), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, (s) => {
        expect(quote(s)).toBe(pg.escapeLiteral(s));
      }), { numRuns: 2000 });
  });

  it('doubles quotes, and backslashes in the E form', () => {
    expect(quote("l'Oréal")).toBe("'l''Oréal'");
    expect(quote('a\\b')).toBe(" E'a\\\\b'");
  });
});
