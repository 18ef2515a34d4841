/// <reference path="./pg-utils.d.ts" />
import pgUtils from 'pg/lib/utils.js';

/**
 * A string as a SQL literal, as pg.escapeLiteral writes it (quotes doubled; with a backslash, the E''
 * form with backslashes doubled, so the text is the same whatever standard_conforming_strings says), with
 * the engine's own replace: pg.escapeLiteral walks the string a character at a time, ~10x slower on an
 * order's kilobytes of JSON (the stored answer, event payloads).
 */
export function quote(text: string): string {
  const quoted = text.includes("'") ? text.replaceAll("'", "''") : text;
  return text.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/**
 * `text` with each `$n` placeholder replaced by its value written as a quoted literal: the text the
 * driver would bind (pg's own prepareValue), untyped, so PostgreSQL types it from its context exactly as
 * it types the bound parameter. Undefined when a value is binary (a Buffer has no text form here).
 */
export function inlineParameters(text: string, values: readonly unknown[]): string | undefined {
  const literals: string[] = [];
  for (const value of values) {
    const prepared = pgUtils.prepareValue(value);
    if (prepared === null || prepared === undefined) literals.push('NULL');
    else if (typeof prepared === 'string') literals.push(quote(prepared));
    else return undefined;
  }
  return inlineLiterals(text, literals);
}

/**
 * `text` with each `$n` placeholder replaced by `literals[n - 1]`, written by the caller. Placeholders
 * inside string literals, quoted identifiers, dollar-quoted bodies and comments are left alone.
 */
export function inlineLiterals(text: string, literals: readonly string[]): string {
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") i = endOfQuoted(text, i, "'", isEscapeString(text, i));
    else if (c === '"') i = endOfQuoted(text, i, '"', false);
    else if (c === '-' && text[i + 1] === '-') i = end(text.indexOf('\n', i), text);
    else if (c === '/' && text[i + 1] === '*') i = end(text.indexOf('*/', i + 2), text, 2);
    else if (c === '$') {
      const placeholder = /^\$(\d+)/.exec(text.slice(i, i + 12));
      const tag = placeholder ? undefined : /^\$[A-Za-z_][A-Za-z0-9_]*\$|^\$\$/.exec(text.slice(i, i + 64));
      if (placeholder && !isIdentifierChar(text[i - 1])) {
        const literal = literals[Number(placeholder[1]) - 1];
        if (literal === undefined) throw new Error(`inlineLiterals: no value for ${placeholder[0]}`);
        out += text.slice(from, i) + literal;
        i += placeholder[0].length;
        from = i;
      } else if (tag && !isIdentifierChar(text[i - 1])) i = end(text.indexOf(tag[0], i + tag[0].length), text, tag[0].length);
      else i++;
    } else i++;
  }
  return out + text.slice(from);
}

const isIdentifierChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_$]/.test(c);
const isEscapeString = (text: string, quoteAt: number): boolean => /[eE]/.test(text[quoteAt - 1] ?? '') && !isIdentifierChar(text[quoteAt - 2]);
const end = (found: number, text: string, length = 0): number => (found < 0 ? text.length : found + length);

/** The index after the literal or identifier opened at `start` (a doubled closer, or in E'' a backslash, escapes). */
function endOfQuoted(text: string, start: number, closer: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === closer && text[i + 1] === closer) i += 2;
    else if (c === closer) return i + 1;
    else i++;
  }
  return i;
}
