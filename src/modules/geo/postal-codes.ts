import fs from 'node:fs';
import type { LatLng } from '../../domain/geo/distance.js';

// Derived from La Poste's postal code base by scripts/build-postal-codes.mjs and committed, so the app
// never needs the source data at runtime (see data/geo/ATTRIBUTION.md).
const TABLES: Record<string, URL> = {
  FR: new URL('../../../data/geo/fr-postal-codes.csv', import.meta.url),
};

const loaded = new Map<string, Map<string, LatLng>>();

function table(country: string): Map<string, LatLng> | undefined {
  const cached = loaded.get(country);
  if (cached) return cached;
  const file = TABLES[country];
  if (!file) return undefined;
  // Read once, synchronously: ~6,000 short lines (130 kB), parsed in a few milliseconds on first use.
  const map = new Map<string, LatLng>();
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const line of lines.slice(1)) {
    const [code, lat, lng] = line.split(',');
    if (!code || lat === undefined || lng === undefined) continue;
    map.set(code, { latitude: Number(lat), longitude: Number(lng) });
  }
  loaded.set(country, map);
  return map;
}

/** Approximate centre of a postal code (population-weighted), or undefined for an unknown code or country. */
export function lookupPostalCode(country: string, postalCode: string): LatLng | undefined {
  return table(country.toUpperCase())?.get(postalCode.trim());
}

/** Every known postal code of a country with its centre (benchmark networks sample real places from it). */
export function postalCodeTable(country: string): ReadonlyMap<string, LatLng> | undefined {
  return table(country.toUpperCase());
}
