import { en } from './messages.en';
import { fr } from './messages.fr';

/** Words of this area, in English and French (same keys in both, checked by the type of `fr`). */
export const messages = { en, fr };
