/** Words of this area, in English and French (same keys in both). */
export const messages = {
  en: {},
  fr: {},
};
