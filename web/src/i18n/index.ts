import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { messages as auth } from '../auth/messages';
import { messages as counter } from '../counter/messages';
import { messages as dashboard } from '../dashboard/messages';
import { messages as inventory } from '../inventory/messages';
import { messages as orderDetail } from '../orders/detail/messages';
import { messages as orders } from '../orders/messages';
import { messages as settings } from '../settings/messages';
import { messages as store } from '../store/messages';
import { messages as tracking } from '../tracking/messages';
import { messages as users } from '../users/messages';
import { common } from './common';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One namespace per area of the apps; each area keeps its own words in `<area>/messages.ts`. */
const namespaces = { common, auth, counter, dashboard, inventory, orderDetail, orders, settings, store, tracking, users };
const resources = Object.fromEntries(
  LANGUAGES.map((lng) => [lng, Object.fromEntries(Object.entries(namespaces).map(([ns, m]) => [ns, m[lng]]))]),
);

const STORAGE_KEY = 'ordo.language';
export function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'fr') return saved;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function changeLanguage(lng: Language): void {
  localStorage.setItem(STORAGE_KEY, lng);
  document.documentElement.lang = lng;
  void i18n.changeLanguage(lng);
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export default i18n;
