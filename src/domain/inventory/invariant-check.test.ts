import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compensationFor, findDrift, type PositionAudit } from './invariant-check.js';

const consistent: PositionAudit = { sku: 'A', locationId: 'L1', onHand: 5, reserved: 3, ledgerOnHand: 5, ledgerReserved: 3, reservedSources: { reservation: 2, allocation: 1 } };

/** What the ledger and the position look like once a compensating row is appended and reserved is fixed. */
function applyFix(p: PositionAudit): PositionAudit {
  const [d] = findDrift([p]);
  if (!d) return p;
  const fix = compensationFor(d);
  return { ...p, reserved: fix.reservedAfter, ledgerOnHand: fix.onHandAfter, ledgerReserved: p.ledgerReserved + (fix.reservedAfter - fix.reservedBefore) };
}

const audit = fc.record({
  sku: fc.constantFrom('A', 'B'),
  locationId: fc.constantFrom('L1', 'L2'),
  onHand: fc.nat(50),
  reserved: fc.nat(50),
  ledgerOnHand: fc.option(fc.nat(50), { nil: null }),
  ledgerReserved: fc.integer({ min: -5, max: 50 }),
  reservedSources: fc.dictionary(fc.constantFrom('reservation', 'allocation', 'transfer'), fc.nat(20)),
});

describe('findDrift', () => {
  it('finds nothing in a consistent position, including one without any ledger row', () => {
    expect(findDrift([consistent, { ...consistent, onHand: 0, reserved: 0, ledgerOnHand: null, ledgerReserved: 0, reservedSources: {} }])).toEqual([]);
  });

  it('names each broken invariant', () => {
    const [d] = findDrift([{ ...consistent, onHand: 9, reserved: 4 }]);
    expect(d?.kinds).toEqual(['on_hand_vs_ledger', 'reserved_vs_ledger', 'reserved_vs_sources']);
    expect(d).toMatchObject({ ledgerOnHand: 5, expectedReserved: 3 });
    expect(findDrift([{ ...consistent, reservedSources: { reservation: 2 } }])[0]?.kinds).toEqual(['reserved_vs_sources']);
  });

  it('reports a drift exactly when an invariant is broken, and a fix leaves none (property)', () => {
    fc.assert(
      fc.property(audit, (p) => {
        const expected = Object.values(p.reservedSources).reduce((s, q) => s + q, 0);
        const broken = p.onHand !== (p.ledgerOnHand ?? 0) || p.reserved !== p.ledgerReserved || p.reserved !== expected;
        expect(findDrift([p]).length).toBe(broken ? 1 : 0);
        const fixed = applyFix(p);
        expect(findDrift([fixed])).toEqual([]);
        expect(fixed.onHand).toBe(p.onHand);
        expect(fixed.reserved).toBe(expected);
      }),
    );
  });

  it('adds any number of reserved sources', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10), { maxLength: 6 }), (quantities) => {
        const sources = Object.fromEntries(quantities.map((q, i) => [`source${i}`, q]));
        const total = quantities.reduce((s, q) => s + q, 0);
        const p = { ...consistent, reserved: total, ledgerReserved: total, reservedSources: sources };
        expect(findDrift([p])).toEqual([]);
        expect(findDrift([{ ...p, reserved: total + 1, ledgerReserved: total + 1 }])[0]?.kinds).toEqual(['reserved_vs_sources']);
      }),
    );
  });
});
