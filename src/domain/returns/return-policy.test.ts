import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_POLICY, resolvePolicy, type ScopedPolicy } from './return-policy.js';

const rules = (windowDays: number) => ({ ...DEFAULT_RETURN_POLICY, windowDays });

describe('return policy resolution', () => {
  const policies: ScopedPolicy[] = [
    { channel: null, country: null, ...rules(30) },
    { channel: null, country: 'DE', ...rules(14) },
    { channel: 'web', country: null, ...rules(60) },
    { channel: 'web', country: 'DE', ...rules(45) },
  ];

  it('takes the most specific policy: channel and country, channel, country, then the default', () => {
    expect(resolvePolicy(policies, 'web', 'DE')).toMatchObject({ rules: { windowDays: 45 }, scope: { channel: 'web', country: 'DE' } });
    expect(resolvePolicy(policies, 'web', 'FR')).toMatchObject({ rules: { windowDays: 60 }, scope: { channel: 'web', country: null } });
    expect(resolvePolicy(policies, 'pos', 'DE')).toMatchObject({ rules: { windowDays: 14 }, scope: { channel: null, country: 'DE' } });
    expect(resolvePolicy(policies, 'pos', null)).toMatchObject({ rules: { windowDays: 30 }, scope: { channel: null, country: null } });
  });

  it('falls back to the built-in defaults when nothing was set', () => {
    expect(resolvePolicy([], 'web', 'FR')).toEqual({ rules: DEFAULT_RETURN_POLICY, scope: { channel: null, country: null } });
  });
});
