/** A user as `GET /v1/users` returns it (never a password). */
export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  locationIds: string[];
  locale: 'en' | 'fr' | null;
  disabled: boolean;
  disabledAt: string | null;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const USER_ROLES = ['admin', 'ops', 'service', 'store'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The API's rule, checked before sending so the form can say which field is wrong. */
export const MIN_PASSWORD_LENGTH = 10;
export const looksLikeEmail = (s: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());
