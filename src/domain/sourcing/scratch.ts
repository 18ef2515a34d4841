/**
 * Typed arrays that live for one `routeOrder` call, carved from one buffer kept from call to call.
 *
 * Why: a typed array above 64 bytes gets a buffer of its own, and allocating (then collecting) one
 * costs about a microsecond, as much as filling a few hundred elements; a promise routes a dozen carts,
 * each making a dozen small arrays (per-location costs and stock, per-sub-order costs, DP layers).
 *
 * Rules: an array from here must not outlive the `withScratch` call it was made in (nothing kept in a
 * cache, nothing returned to a caller of routeOrder); arrays made outside any call, or beyond the
 * buffer, are ordinary ones. Arrays come zero-filled. The buffer grows, at the start of a call, to the
 * most any earlier call asked for (up to `MAX_KEPT`).
 */

const MAX_KEPT = 4 << 20;
let buffer = new ArrayBuffer(64 << 10);
/** Bytes handed out in the current call; -1 outside any call. */
let top = -1;
/** The most bytes a call asked for. */
let wanted = 0;

export function withScratch<T>(run: () => T): T {
  if (top >= 0) return run();
  if (wanted > buffer.byteLength && buffer.byteLength < MAX_KEPT) buffer = new ArrayBuffer(Math.min(MAX_KEPT, 2 * wanted));
  top = 0;
  try {
    return run();
  } finally {
    wanted = Math.max(wanted, top);
    top = -1;
  }
}

/** Byte offset of `bytes` in the buffer, or -1 (outside a call, or no room left). */
function claim(bytes: number): number {
  if (top < 0) return -1;
  const at = top;
  top += (bytes + 7) & ~7;
  return top <= buffer.byteLength ? at : -1;
}

export function scratchFloat64(length: number): Float64Array {
  const at = claim(length * Float64Array.BYTES_PER_ELEMENT);
  return at < 0 ? new Float64Array(length) : new Float64Array(buffer, at, length).fill(0);
}

export function scratchInt32(length: number): Int32Array {
  const at = claim(length * Int32Array.BYTES_PER_ELEMENT);
  return at < 0 ? new Int32Array(length) : new Int32Array(buffer, at, length).fill(0);
}

export function scratchUint8(length: number): Uint8Array {
  const at = claim(length);
  return at < 0 ? new Uint8Array(length) : new Uint8Array(buffer, at, length).fill(0);
}
