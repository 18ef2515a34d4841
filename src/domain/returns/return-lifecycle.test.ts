import { describe, expect, it } from 'vitest';
import { assertReturnTransition, RETURN_STATUSES, RETURN_TRANSITIONS, settledStatus } from './return-lifecycle.js';

describe('return lifecycle', () => {
  it('allows exactly the edges of the table and refuses every other one', () => {
    for (const from of RETURN_STATUSES) {
      for (const to of RETURN_STATUSES) {
        const refused = assertReturnTransition(from, to, 'RET-1');
        expect(refused === undefined, `${from} -> ${to}`).toBe(RETURN_TRANSITIONS[from].includes(to));
        if (refused) expect(refused).toMatchObject({ code: 'invalid_return_transition', details: { from, to } });
      }
    }
  });

  it('ends refunded when money went back through the payments, closed otherwise', () => {
    expect(settledStatus(1)).toBe('refunded');
    expect(settledStatus(0)).toBe('closed');
  });
});
