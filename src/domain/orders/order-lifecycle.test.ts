import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  deriveOrderStatus,
  LINE_STATUSES,
  LINE_TRANSITIONS,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  type LineStatus,
  type OrderStatus,
} from './order-lifecycle.js';

function* multisets(size: number, start = 0): Generator<LineStatus[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = start; i < LINE_STATUSES.length; i++) for (const rest of multisets(size - 1, i)) yield [LINE_STATUSES[i]!, ...rest];
}

describe('line lifecycle', () => {
  for (const from of LINE_STATUSES) {
    for (const to of LINE_STATUSES) {
      const allowed = (LINE_TRANSITIONS[from] as readonly string[]).includes(to);
      it(`${from} -> ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
        const refusal = assertTransition('line', from, to, 'L1');
        if (allowed) expect(refusal).toBeUndefined();
        else expect(refusal).toMatchObject({ ok: false, code: 'invalid_transition', details: { level: 'line', from, to, subject: 'L1' } });
      });
    }
  }

  it('ends in completed or cancelled, which lead nowhere', () => {
    expect(LINE_TRANSITIONS.completed).toEqual([]);
    expect(LINE_TRANSITIONS.cancelled).toEqual([]);
    // every status can reach a terminal one
    for (const s of LINE_STATUSES) {
      const seen = new Set<LineStatus>([s]);
      const queue = [s];
      while (queue.length > 0) for (const next of LINE_TRANSITIONS[queue.pop()!]) if (!seen.has(next)) (seen.add(next), queue.push(next));
      expect(seen.has('completed') || seen.has('cancelled')).toBe(true);
    }
  });
});

describe('order lifecycle', () => {
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      const allowed = (ORDER_TRANSITIONS[from] as readonly string[]).includes(to);
      it(`${from} -> ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
        const refusal = assertTransition('order', from, to);
        if (allowed) expect(refusal).toBeUndefined();
        else expect(refusal).toMatchObject({ code: 'invalid_transition', message: `the order cannot go from ${from} to ${to}` });
      });
    }
  }

  it('refuses a status it does not know', () => {
    expect(assertTransition('order', 'lost', 'cancelled')).toMatchObject({ code: 'invalid_transition', details: { allowed: [] } });
  });

  it('is exactly what one line step does to the derived status (orders of 1 to 5 lines)', () => {
    const derived = new Map<OrderStatus, Set<OrderStatus>>(ORDER_STATUSES.map((s) => [s, new Set()]));
    for (let size = 1; size <= 5; size++) {
      for (const lines of multisets(size)) {
        const before = deriveOrderStatus(lines);
        lines.forEach((status, i) => {
          for (const to of LINE_TRANSITIONS[status]) {
            const after = deriveOrderStatus(lines.map((s, j) => (j === i ? to : s)));
            if (after !== before) derived.get(before)!.add(after);
          }
        });
      }
    }
    for (const s of ORDER_STATUSES) expect([...derived.get(s)!].sort(), s).toEqual([...ORDER_TRANSITIONS[s]].sort());
  });
});

describe('deriveOrderStatus', () => {
  it.each<[LineStatus[], OrderStatus]>([
    [['allocated'], 'allocated'],
    [['allocated', 'backordered'], 'backordered'],
    [['allocated', 'cancelled'], 'allocated'],
    [['cancelled', 'cancelled'], 'cancelled'],
    [['shipped', 'cancelled'], 'shipped'],
    [['shipped', 'allocated'], 'partially_shipped'],
    [['completed', 'shipped'], 'shipped'],
    [['completed', 'completed', 'cancelled'], 'completed'],
    [['ready_for_pickup', 'ready_for_pickup'], 'ready_for_pickup'],
    [['ready_for_pickup', 'allocated'], 'in_fulfillment'],
    [['in_fulfillment', 'backordered'], 'in_fulfillment'],
    [['pending', 'allocated'], 'pending'],
  ])('%j -> %s', (lines, status) => {
    expect(deriveOrderStatus(lines)).toBe(status);
  });
});
