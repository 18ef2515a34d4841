import { useTranslation } from 'react-i18next';

/** Locale tags used by Intl for each UI language. */
const LOCALES: Record<string, string> = { en: 'en-GB', fr: 'fr-FR' };

/**
 * Money, dates and numbers formatted for the chosen language. Amounts are in minor units as the API
 * sends them; dates are shown in the browser's time zone unless one is given (a store's own zone).
 */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = LOCALES[i18n.language] ?? 'en-GB';
  return {
    locale,
    money(minor: number | null | undefined, currency: string): string {
      if (minor === null || minor === undefined) return '—';
      const f = new Intl.NumberFormat(locale, { style: 'currency', currency });
      return f.format(minor / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
    },
    number(n: number | null | undefined, opts?: Intl.NumberFormatOptions): string {
      return n === null || n === undefined ? '—' : new Intl.NumberFormat(locale, opts).format(n);
    },
    percent(ratio: number | null | undefined): string {
      return ratio === null || ratio === undefined ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
    },
    date(iso: string | null | undefined, timeZone?: string): string {
      return iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(iso)) : '—';
    },
    dateTime(iso: string | null | undefined, timeZone?: string): string {
      return iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso)) : '—';
    },
    time(iso: string | null | undefined, timeZone?: string): string {
      return iso ? new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(new Date(iso)) : '—';
    },
  };
}
