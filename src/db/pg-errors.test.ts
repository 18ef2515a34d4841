import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from './pg-errors.js';

describe('isUniqueViolation', () => {
  const taken = { code: '23505', constraint: 'customer_email_idx' };

  it('is a 23505, on the constraint named when one is', () => {
    expect(isUniqueViolation(taken)).toBe(true);
    expect(isUniqueViolation(taken, 'customer_email_idx')).toBe(true);
    expect(isUniqueViolation(taken, 'idempotency_key_pkey')).toBe(false);
    expect(isUniqueViolation({ code: '23503', constraint: 'customer_email_idx' }, 'customer_email_idx')).toBe(false);
  });

  it('is false for whatever else was thrown', () => {
    for (const thrown of [undefined, null, 'boom', new Error('23505')]) expect(isUniqueViolation(thrown)).toBe(false);
  });
});
