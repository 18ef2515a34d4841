import { fail, ok, type Result } from '../shared/result.js';

/**
 * Order totals computed by the server, in integer minor units of the order currency (never floats,
 * never the client's sums). Prices are taken as including tax, as European retail shows them.
 *
 * Invariants (property-tested): every amount is a non-negative safe integer; each line total is its
 * gross (quantity × unit price) less its own discount and its share of the order discount; the shares
 * add up exactly to the order discount; total = subtotal − discount + shipping = Σ line totals + shipping.
 *
 * Example: 2 × 1000 and 1 × 500 with an order discount of 100 -> shares 80 and 20, total 2400 + shipping.
 */

export interface PricedLine {
  quantity: number;
  unitPriceMinor: number;
  /** Discount on this line, in minor units (not per unit). */
  discountMinor?: number;
}

export interface LineTotals {
  grossMinor: number;
  lineDiscountMinor: number;
  /** This line's share of the order-level discount. */
  orderDiscountMinor: number;
  totalMinor: number;
}

export interface OrderTotals {
  lines: LineTotals[];
  /** Σ gross. */
  subtotalMinor: number;
  /** Line discounts plus the order discount. */
  discountMinor: number;
  shippingMinor: number;
  totalMinor: number;
}

const isAmount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

export function computeTotals(lines: readonly PricedLine[], opts: { orderDiscountMinor?: number; shippingMinor?: number } = {}): Result<OrderTotals> {
  const orderDiscount = opts.orderDiscountMinor ?? 0;
  const shipping = opts.shippingMinor ?? 0;
  const problems: Array<{ line?: number; field: string; message: string }> = [];
  if (!isAmount(orderDiscount)) problems.push({ field: 'discountMinor', message: 'must be a non-negative integer' });
  if (!isAmount(shipping)) problems.push({ field: 'shippingMinor', message: 'must be a non-negative integer' });
  const nets: number[] = [];
  const partial: Array<Omit<LineTotals, 'orderDiscountMinor' | 'totalMinor'>> = [];
  lines.forEach((l, i) => {
    const discount = l.discountMinor ?? 0;
    const gross = l.quantity * l.unitPriceMinor;
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) problems.push({ line: i, field: 'quantity', message: 'must be a positive integer' });
    else if (!isAmount(l.unitPriceMinor)) problems.push({ line: i, field: 'unitPriceMinor', message: 'must be a non-negative integer' });
    else if (!isAmount(gross)) problems.push({ line: i, field: 'unitPriceMinor', message: 'quantity × unit price is too large' });
    else if (!isAmount(discount)) problems.push({ line: i, field: 'discountMinor', message: 'must be a non-negative integer' });
    else if (discount > gross) problems.push({ line: i, field: 'discountMinor', message: `discount ${discount} exceeds the line amount ${gross}` });
    nets.push(gross - discount);
    partial.push({ grossMinor: gross, lineDiscountMinor: discount });
  });
  if (problems.length > 0) return fail('invalid_amount', 'some amounts are invalid', { problems });
  const net = nets.reduce((s, n) => s + n, 0);
  const subtotal = partial.reduce((s, l) => s + l.grossMinor, 0);
  if (!Number.isSafeInteger(subtotal) || !Number.isSafeInteger(net + shipping)) return fail('invalid_amount', 'the order amounts are too large', { problems: [] });
  if (orderDiscount > net) return fail('invalid_amount', `order discount ${orderDiscount} exceeds the lines' amount ${net}`, { problems: [{ field: 'discountMinor', message: 'exceeds the lines' }] });
  const shares = shareOut(orderDiscount, nets);
  const totals = partial.map((l, i) => ({ ...l, orderDiscountMinor: shares[i]!, totalMinor: nets[i]! - shares[i]! }));
  const lineDiscounts = partial.reduce((s, l) => s + l.lineDiscountMinor, 0);
  return ok({
    lines: totals,
    subtotalMinor: subtotal,
    discountMinor: lineDiscounts + orderDiscount,
    shippingMinor: shipping,
    totalMinor: net - orderDiscount + shipping,
  });
}

/**
 * Splits `amount` across `weights` in proportion, in whole minor units that add up exactly to `amount`
 * (largest remainder; ties go to the earlier line). No share exceeds its weight when amount ≤ Σ weights.
 */
export function shareOut(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (amount === 0 || total === 0) return weights.map(() => 0);
  // BigInt: amount × weight can pass 2^53 for large orders.
  const a = BigInt(amount);
  const t = BigInt(total);
  const shares = weights.map((w) => Number((a * BigInt(w)) / t));
  const remainders = weights.map((w, i) => ({ i, r: (a * BigInt(w)) % t }));
  let left = amount - shares.reduce((s, x) => s + x, 0);
  remainders.sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares;
}
