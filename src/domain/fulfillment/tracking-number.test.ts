import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carrierPrefix, trackingNumber, trackingUrl } from './tracking-number.js';

describe('tracking numbers', () => {
  it('are the same for the same shipment, parcel and attempt, with the carrier prefix and the parcel suffix', () => {
    const a = trackingNumber('post', 'ORD-2026-000123-F1', 1);
    expect(a).toBe(trackingNumber('post', 'ORD-2026-000123-F1', 1));
    expect(a).toMatch(/^POST[0-9A-HJKMNP-TV-Z]{10}01$/);
    expect(trackingNumber('post', 'ORD-2026-000123-F1', 2)).toBe(`${a.slice(0, -2)}02`);
    expect(trackingNumber('post', 'ORD-2026-000123-F1', 1, 1)).not.toBe(a);
    expect(trackingNumber('colissimo', 'ORD-2026-000123-F1', 1).startsWith('COLI')).toBe(true);
  });

  it('differ between shipments (no collision over many distinct references)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 2, maxLength: 200 }), (refs) => {
        const numbers = refs.map((r) => trackingNumber('dhl', r, 1));
        expect(new Set(numbers).size).toBe(refs.length);
      }),
    );
  });

  it('refuse a parcel outside 1..99; prefixes keep letters and digits only', () => {
    expect(() => trackingNumber('post', 'X', 0)).toThrow(RangeError);
    expect(() => trackingNumber('post', 'X', 100)).toThrow(RangeError);
    expect(carrierPrefix('la-poste')).toBe('LAPO');
    expect(carrierPrefix('u')).toBe('UX');
  });

  it('fill the carrier tracking URL template, encoded; no template, no URL', () => {
    expect(trackingUrl('https://t.example/track?n={trackingNumber}', 'AB 1')).toBe('https://t.example/track?n=AB%201');
    expect(trackingUrl(null, 'AB1')).toBeUndefined();
  });
});
