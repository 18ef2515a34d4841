import { describe, expect, it } from 'vitest';
import { scratchFloat64, scratchInt32, scratchUint8, withScratch } from './scratch.js';

describe('scratch arrays', () => {
  it('are zero-filled and never overlap within a call, even after an earlier call dirtied the buffer', () => {
    withScratch(() => scratchFloat64(1_000).fill(7));
    withScratch(() => {
      const a = scratchFloat64(100);
      const b = scratchInt32(33);
      const c = scratchUint8(5);
      const d = scratchFloat64(10);
      expect([...a, ...b, ...c, ...d].every((x) => x === 0)).toBe(true);
      a.fill(1);
      b.fill(2);
      c.fill(3);
      d.fill(4);
      expect([a[99], b[0], b[32], c[4], d[0]]).toEqual([1, 2, 2, 3, 4]);
    });
  });

  it('are ordinary arrays outside a call, and when a call asks for more than the buffer holds', () => {
    const outside = scratchFloat64(8);
    withScratch(() => {
      const huge = scratchFloat64(1 << 18);
      huge[0] = 5;
      const after = scratchFloat64(4);
      after[0] = 6;
      expect([huge[0], after[0], outside[0]]).toEqual([5, 6, 0]);
    });
    // The buffer has grown to what the call asked for: the next call gets the same room from it.
    withScratch(() => {
      const again = scratchFloat64(1 << 18);
      expect(again.buffer.byteLength).toBeGreaterThanOrEqual((1 << 18) * 8);
      expect(scratchFloat64(4).buffer === again.buffer).toBe(true);
    });
  });

  it('shares one call between nested ones and releases the buffer when the outer call throws', () => {
    let inner: Float64Array | undefined;
    expect(() =>
      withScratch(() => {
        const outer = scratchFloat64(4).fill(1);
        withScratch(() => {
          inner = scratchFloat64(4);
        });
        expect(inner!.buffer === outer.buffer).toBe(true);
        expect(inner!.byteOffset).toBeGreaterThanOrEqual(outer.byteOffset + outer.byteLength);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    withScratch(() => expect(scratchFloat64(4).byteOffset).toBe(0));
  });
});
