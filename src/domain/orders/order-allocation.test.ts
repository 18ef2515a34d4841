import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PromiseOption, PromiseShipment } from '../promise/delivery-promise.js';
import { allocateHold, allocateOption, lineStatusOf } from './order-allocation.js';

const shipment = (locationId: string, lines: Array<[string, string, number]>, over: Partial<PromiseShipment> = {}): PromiseShipment => ({
  locationId,
  locationName: locationId,
  lines: lines.map(([lineId, sku, quantity]) => ({ lineId, sku, quantity })),
  transfer: false,
  earliest: '2026-11-24',
  latest: '2026-11-25',
  confidence: 0.97,
  costMinor: 500,
  ...over,
});

const option = (shipments: PromiseShipment[]): PromiseOption => ({
  optionId: 'ship:standard',
  kind: 'ship',
  service: 'standard',
  earliest: '2026-11-24',
  latest: '2026-11-25',
  window: { earliest: '2026-11-23T23:00:00.000Z', latest: '2026-11-25T22:59:59.000Z' },
  confidence: 0.97,
  preorder: false,
  costMinor: 500,
  shipments,
  sourcing: { optimal: true, gap: 0, method: 'exact', alternatives: [] },
});

describe('allocateOption', () => {
  it('gives each shipment line to its order line, with the shipment dates; supply-dated units are backordered', () => {
    const planned = allocateOption(
      option([
        shipment('paris', [['1', 'A', 2]], { carrier: { carrierId: 'post', carrierName: 'Post', service: 'standard', serviceName: 'Domicile', lane: 'FR:*', observations: 0 }, departureDate: '2026-11-23' }),
        shipment('lyon', [['1', 'A', 1], ['2', 'B', 1]]),
        shipment('wh', [['3', 'C', 4]], { availableFrom: '2026-12-01T08:00:00.000Z' }),
      ]),
      [{ sku: 'A', quantity: 3 }, { sku: 'B', quantity: 1 }, { sku: 'C', quantity: 4 }],
    );
    expect(planned).toMatchObject({
      ok: true,
      value: [
        { lineIndex: 0, locationId: 'paris', quantity: 2, status: 'reserved', departureDate: '2026-11-23', carrier: { carrierId: 'post' }, earliest: '2026-11-24' },
        { lineIndex: 0, locationId: 'lyon', quantity: 1, status: 'reserved' },
        { lineIndex: 1, locationId: 'lyon', quantity: 1, status: 'reserved' },
        { lineIndex: 2, locationId: 'wh', quantity: 4, status: 'backordered', availableFrom: '2026-12-01T08:00:00.000Z' },
      ],
    });
  });

  it('matches by SKU when the promise was made for the cart in another order', () => {
    const planned = allocateOption(option([shipment('paris', [['1', 'B', 1], ['2', 'A', 2]])]), [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 1 }]);
    expect(planned.ok && planned.value.map((a) => [a.lineIndex, a.sku, a.quantity])).toEqual([[1, 'B', 1], [0, 'A', 2]]);
  });

  it('refuses an option that does not cover the lines exactly', () => {
    expect(allocateOption(option([shipment('paris', [['1', 'A', 1]])]), [{ sku: 'A', quantity: 2 }])).toMatchObject({ ok: false, code: 'promise_option_mismatch', details: { short: [{ sku: 'A', missing: 1 }] } });
    expect(allocateOption(option([shipment('paris', [['1', 'A', 3]])]), [{ sku: 'A', quantity: 2 }])).toMatchObject({ ok: false, code: 'promise_option_mismatch', details: { extra: 1 } });
  });
});

describe('allocateHold', () => {
  it('spreads held units over lines of the same SKU; units away from the pickup store are transfers', () => {
    const planned = allocateHold(
      [{ sku: 'A', locationId: 'lyon', quantity: 3 }, { sku: 'A', locationId: 'paris', quantity: 1 }],
      [{ sku: 'A', quantity: 2 }, { sku: 'A', quantity: 2 }],
      'paris',
    );
    expect(planned.ok && planned.value.map((a) => [a.lineIndex, a.locationId, a.quantity, a.transfer])).toEqual([
      [0, 'lyon', 2, true],
      [1, 'lyon', 1, true],
      [1, 'paris', 1, false],
    ]);
  });

  it('always covers every line exactly, or refuses (random holds and carts)', () => {
    const skus = fc.constantFrom('A', 'B', 'C');
    fc.assert(
      fc.property(
        fc.array(fc.record({ sku: skus, locationId: fc.constantFrom('x', 'y'), quantity: fc.integer({ min: 1, max: 5 }) }), { maxLength: 6 }),
        fc.array(fc.record({ sku: skus, quantity: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 5 }),
        (held, lines) => {
          const planned = allocateHold(held, lines);
          const total = (sku: string, xs: readonly { sku: string; quantity: number }[]) => xs.filter((x) => x.sku === sku).reduce((s, x) => s + x.quantity, 0);
          const fits = ['A', 'B', 'C'].every((sku) => total(sku, held) === total(sku, lines));
          expect(planned.ok).toBe(fits);
          if (!planned.ok) return;
          lines.forEach((l, i) => expect(planned.value.filter((a) => a.lineIndex === i).reduce((s, a) => s + a.quantity, 0)).toBe(l.quantity));
          for (const a of planned.value) expect(lines[a.lineIndex]!.sku).toBe(a.sku);
        },
      ),
    );
  });
});

describe('lineStatusOf', () => {
  it('backordered wins, fulfilled is completed, held is allocated', () => {
    expect(lineStatusOf([{ status: 'reserved' }, { status: 'backordered' }])).toBe('backordered');
    expect(lineStatusOf([{ status: 'fulfilled' }])).toBe('completed');
    expect(lineStatusOf([{ status: 'reserved' }])).toBe('allocated');
    expect(lineStatusOf([])).toBe('pending');
  });
});
