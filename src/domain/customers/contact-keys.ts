/**
 * Keys one customer is recognised by across channels: the e-mail without case or surrounding spaces,
 * and the phone as digits (international '00' prefix written '+'). Formatting differences between a web
 * form, a till and a marketplace feed then match the same person.
 *
 * Example: ' Alice@Example.FR ' -> 'alice@example.fr'; '+33 6 12-34.56.78' and '0033612345678' -> '+33612345678'.
 */
export function emailKey(email: string | undefined | null): string | null {
  const key = email?.trim().toLowerCase();
  return key ? key : null;
}

export function phoneKey(phone: string | undefined | null): string | null {
  if (!phone) return null;
  const compact = phone.trim().replace(/^00/, '+');
  const digits = compact.replace(/\D/g, '');
  if (digits.length === 0) return null;
  return compact.startsWith('+') ? `+${digits}` : digits;
}
