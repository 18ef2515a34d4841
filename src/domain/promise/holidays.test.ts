import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { easterSunday, holidaySet, publicHolidays } from './holidays.js';
import { weekdayOf } from './local-date.js';

describe('easterSunday', () => {
  it('matches the published dates 2024–2030 and the extremes of the range', () => {
    const known: Record<number, string> = {
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2028: '2028-04-16',
      2029: '2029-04-01',
      2030: '2030-04-21',
      1818: '1818-03-22',
      2285: '2285-03-22',
      1943: '1943-04-25',
      2038: '2038-04-25',
      2000: '2000-04-23',
    };
    for (const [year, date] of Object.entries(known)) expect(easterSunday(Number(year))).toBe(date);
  });

  it('is always a Sunday between March 22 and April 25', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 4099 }), (year) => {
        const date = easterSunday(year);
        expect(weekdayOf(date)).toBe('sun');
        const monthDay = date.slice(5);
        expect(monthDay >= '03-22' && monthDay <= '04-25').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('publicHolidays', () => {
  it('gives the 11 French statutory holidays, Easter-based ones included', () => {
    expect(publicHolidays('FR', 2026)).toEqual([
      '2026-01-01',
      '2026-04-06', // Easter Monday
      '2026-05-01',
      '2026-05-08',
      '2026-05-14', // Ascension
      '2026-05-25', // Whit Monday
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
    expect(publicHolidays('FR', 2027)).toContain('2027-05-06');
    expect(publicHolidays('fr', 2027)).toContain('2027-05-17');
  });

  it('gives the Belgian, Portuguese, Spanish and German national holidays', () => {
    expect(publicHolidays('BE', 2026)).toEqual(['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-07-21', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25']);
    expect(publicHolidays('PT', 2026)).toEqual([
      '2026-01-01', '2026-04-03', '2026-04-05', '2026-04-25', '2026-05-01', '2026-06-04', '2026-06-10',
      '2026-08-15', '2026-10-05', '2026-11-01', '2026-12-01', '2026-12-08', '2026-12-25',
    ]);
    expect(publicHolidays('PT', 2014)).toHaveLength(9);
    expect(publicHolidays('ES', 2026)).toEqual(['2026-01-01', '2026-01-06', '2026-04-03', '2026-05-01', '2026-08-15', '2026-10-12', '2026-11-01', '2026-12-06', '2026-12-08', '2026-12-25']);
    expect(publicHolidays('DE', 2026)).toEqual(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-10-03', '2026-12-25', '2026-12-26']);
    expect(publicHolidays('DE', 2017)).toContain('2017-10-31');
    expect(publicHolidays('DE', 2018)).not.toContain('2018-10-31');
  });

  it('is empty for an unknown country, and returns a copy callers may change', () => {
    expect(publicHolidays('JP', 2026)).toEqual([]);
    publicHolidays('FR', 2026).pop();
    expect(publicHolidays('FR', 2026)).toHaveLength(11);
  });

  it('unions the years of a range', () => {
    const set = holidaySet('FR', 2025, 2027);
    expect(set.size).toBe(33);
    expect(set.has('2025-06-09') && set.has('2026-05-25') && set.has('2027-05-17')).toBe(true);
    expect(holidaySet('FR', 2027, 2026).size).toBe(0);
  });
});
