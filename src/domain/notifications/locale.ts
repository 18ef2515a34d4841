/** Languages customer messages are written in. */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface MessageLocale {
  language: Language;
  /** Canonical BCP 47 tag used for number and date formats, e.g. 'en-US' keeps US dates in English. */
  tag: string;
}

const DEFAULT_TAGS: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * The customer's locale when its language is one we write, otherwise French (the retailer's home market):
 * 'en-US' → en/en-US, 'en' → en/en-GB, 'fr-CA' → fr/fr-CA, 'de-DE', '', 'not a tag' → fr/fr-FR.
 */
export function resolveLocale(requested: string | undefined): MessageLocale {
  if (requested) {
    try {
      const locale = new Intl.Locale(requested.replace(/_/g, '-'));
      const language = LANGUAGES.find((l) => l === locale.language);
      if (language) return { language, tag: locale.region ? locale.baseName : DEFAULT_TAGS[language] };
    } catch {
      // Not a BCP 47 tag: fall through to the default.
    }
  }
  return { language: 'fr', tag: DEFAULT_TAGS.fr };
}
