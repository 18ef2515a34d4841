/**
 * The money of part of an order line, in minor units, so that the parts of a line always add up to its
 * total exactly: the value of units `from..from+count` (counted in the order they are settled) is
 * floor(total × (from + count) / quantity) − floor(total × from / quantity).
 * Example: a line of 3 units for 1000 → 333, 333, 334 in turn; 2 units at once after none → 666.
 */
export function unitsValue(line: { quantity: number; totalMinor: number }, from: number, count: number): number {
  if (count < 0 || from < 0 || from + count > line.quantity) throw new RangeError(`units ${from}+${count} outside a line of ${line.quantity}`);
  const upTo = (n: number) => Math.floor((line.totalMinor * n) / line.quantity);
  return upTo(from + count) - upTo(from);
}
