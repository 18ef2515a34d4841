#!/usr/bin/env node
// Derives data/geo/fr-postal-codes.csv (postal code -> lat,lng) from La Poste's "Base officielle des codes
// postaux" (2020 extract, the last one with GPS coordinates). A postal code covers several communes, so
// each code gets the centroid of its communes weighted by population (INSEE populations shipped in
// @etalab/decoupage-administratif), which lands near where people actually live rather than in the
// middle of a rural canton. Re-runnable: `node scripts/build-postal-codes.mjs [path/to/laposte.csv]`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

const require = createRequire(import.meta.url);
const source = process.argv[2] ?? '/work/shared/data/geo-fr/laposte_hexasmal_2020.csv';
const target = path.resolve('data/geo/fr-postal-codes.csv');

// The most specific population wins when a code appears at several levels (a delegated commune keeps
// the code of the former commune, which is what La Poste's 2020 rows refer to).
const SPECIFICITY = { 'arrondissement-municipal': 4, 'commune-deleguee': 3, 'commune-associee': 2, 'commune-actuelle': 1 };
const population = new Map();
const rank = new Map();
for (const c of require('@etalab/decoupage-administratif/data/communes.json')) {
  if (typeof c.population !== 'number') continue;
  const r = SPECIFICITY[c.type] ?? 0;
  if ((rank.get(c.code) ?? -1) < r) {
    population.set(c.code, c.population);
    rank.set(c.code, r);
  }
}

const rows = parse(fs.readFileSync(source, 'utf8'), { delimiter: ';', columns: true, bom: true, skip_empty_lines: true });

// Several rows per (commune, postal code) when La Poste lists localities (Ligne_5): average them first
// so a commune counts once in its postal code.
const communes = new Map(); // postal -> Map(insee -> { lat, lng, n })
let skipped = 0;
for (const row of rows) {
  const postal = row.Code_postal?.trim();
  const insee = row.Code_commune_INSEE?.trim();
  const [lat, lng] = (row.coordonnees_gps ?? '').split(',').map((v) => Number.parseFloat(v));
  if (!postal || !insee || !Number.isFinite(lat) || !Number.isFinite(lng)) {
    skipped += 1;
    continue;
  }
  const byInsee = communes.get(postal) ?? new Map();
  communes.set(postal, byInsee);
  const acc = byInsee.get(insee) ?? { lat: 0, lng: 0, n: 0 };
  acc.lat += lat;
  acc.lng += lng;
  acc.n += 1;
  byInsee.set(insee, acc);
}

let weighted = 0;
const lines = ['postal_code,latitude,longitude'];
for (const postal of [...communes.keys()].sort()) {
  const entries = [...communes.get(postal)].map(([insee, a]) => ({ lat: a.lat / a.n, lng: a.lng / a.n, pop: population.get(insee) }));
  // Weight by population only when every commune's population is known and positive; a partial or
  // all-zero weighting would silently drop communes, so fall back to the plain centroid.
  const useWeights = entries.every((e) => typeof e.pop === 'number' && e.pop > 0);
  if (useWeights && entries.length > 1) weighted += 1;
  let w = 0;
  let lat = 0;
  let lng = 0;
  for (const e of entries) {
    const weight = useWeights ? e.pop : 1;
    w += weight;
    lat += e.lat * weight;
    lng += e.lng * weight;
  }
  lines.push(`${postal},${(lat / w).toFixed(4)},${(lng / w).toFixed(4)}`);
}

fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, `${lines.join('\n')}\n`);
console.log(`${lines.length - 1} postal codes written to ${path.relative(process.cwd(), target)} (${weighted} multi-commune codes population-weighted, ${skipped} rows without coordinates skipped)`);
