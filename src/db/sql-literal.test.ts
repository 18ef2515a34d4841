import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { inlineLiterals, inlineParameters, quote } from './sql-literal.js';

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

describe('inlineParameters', () => {
  it('replaces each placeholder by its value as a literal, $10 not read as $1', () => {
    const values = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inlineParameters('select $1, $10, $2', values)).toBe("select 'v1', 'v10', 'v2'");
    expect(inlineParameters('select $1, $2, $3, $4, $5', [null, undefined, 12.5, true, ['a', "b'c"]])).toBe(`select NULL, NULL, '12.5', 'true', '{"a","b''c"}'`);
    expect(inlineParameters('select $1::jsonb', [{ a: "x'" }])).toBe(`select '{"a":"x''"}'::jsonb`);
  });

  it('leaves alone what looks like a placeholder inside literals, identifiers, dollar quotes and comments', () => {
    const text = `select '$1 it''s', E'\\'$1', "col$1", $$ $1 $$, $f$ $1 $f$, a$1, $1 -- $1\n/* $1 */ $2`;
    expect(inlineParameters(text, ['x', 'y'])).toBe(`select '$1 it''s', E'\\'$1', "col$1", $$ $1 $$, $f$ $1 $f$, a$1, 'x' -- $1\n/* $1 */ 'y'`);
  });

  it('places literals the caller wrote (StatementBatch writes its own)', () => {
    expect(inlineLiterals(`select $2, '$1', $1`, [`'2026-11-23T08:30:00.000Z'`, 'NULL'])).toBe(`select NULL, '$1', '2026-11-23T08:30:00.000Z'`);
  });

  it('gives up on binary values and refuses a placeholder without a value', () => {
    expect(inlineParameters('select $1', [Buffer.from([1])])).toBeUndefined();
    expect(() => inlineParameters('select $2', ['x'])).toThrow(/no value for \$2/);
  });
});
