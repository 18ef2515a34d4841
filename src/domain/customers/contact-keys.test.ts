import { describe, expect, it } from 'vitest';
import { emailKey, phoneKey } from './contact-keys.js';

describe('contact keys', () => {
  it('ignores case and spaces in e-mails', () => {
    expect(emailKey(' Alice@Example.FR ')).toBe('alice@example.fr');
    expect(emailKey('')).toBeNull();
    expect(emailKey(undefined)).toBeNull();
  });

  it('keeps only digits of phones, with + for the international form', () => {
    expect(phoneKey('+33 6 12-34.56.78')).toBe('+33612345678');
    expect(phoneKey('0033612345678')).toBe('+33612345678');
    expect(phoneKey('06 12 34 56 78')).toBe('0612345678');
    expect(phoneKey('(+)')).toBeNull();
    expect(phoneKey(null)).toBeNull();
  });
});
