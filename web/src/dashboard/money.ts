import { useFormat } from '../format';
import type { CurrencyValue } from './types';

/** Amounts in several currencies on one line ("1 234,50 € · 99,00 CHF"), or a dash. */
export function useValues(): (values: readonly CurrencyValue[]) => string {
  const fmt = useFormat();
  return (values) => (values.length === 0 ? '—' : values.map((v) => fmt.money(v.totalMinor, v.currency)).join(' · '));
}
