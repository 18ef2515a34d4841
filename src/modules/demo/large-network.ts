import { postalCodeTable } from '../geo/postal-codes.js';
import { productsOf, sizeCurve, STYLES, type StyleSpec } from './demo-catalog.js';
import { demoPartners, demoWarehouses } from './demo-locations.js';
import { demoChannels } from './demo-network.js';
import type { NetworkData, NetworkLocation, NetworkStock } from './network-data.js';
import { SeededRandom } from './seeded-random.js';

export interface LargeNetworkOptions {
  /** Total locations, including the 2 warehouses, 3 suppliers and 1 marketplace seller of the demo. */
  locations: number;
  skus: number;
  seed: number;
  /** Share of the catalogue each store stocks (default 0.1: 300 stores × 20,000 SKUs ≈ 600,000 positions). */
  storeAssortment?: number;
}

const STORE_HOURS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ open: '10:00', close: '19:30' }]]));

function stores(random: SeededRandom, count: number): NetworkLocation[] {
  // Mainland codes only, so every generated store is honestly in Europe/Paris.
  const places = [...(postalCodeTable('FR') ?? new Map())].filter(([code]) => !code.startsWith('97') && !code.startsWith('98'));
  return Array.from({ length: count }, (_, i) => {
    const [postalCode, point] = random.pick(places);
    const big = random.chance(0.15);
    return {
      id: `store-${String(i + 1).padStart(4, '0')}`,
      name: `Magasin ${postalCode} #${i + 1}`,
      type: 'store' as const,
      address: { postalCode, country: 'FR' },
      latitude: point.latitude,
      longitude: point.longitude,
      timeZone: 'Europe/Paris',
      openingHours: STORE_HOURS,
      capabilities: big ? ['ship_from_store', 'pickup', 'returns', 'same_day'] : ['ship_from_store', 'pickup', 'returns'],
      dailyPickCapacity: big ? random.int(150, 300) : random.int(25, 120),
      handlingCostMinor: random.int(35, 70) * 10,
      dataReliability: random.between(0.7, 0.98),
    };
  });
}

/** Styles cycled from the demo templates under numbered ids until the catalogue has `count` SKUs. */
function styles(count: number): StyleSpec[] {
  const out: StyleSpec[] = [];
  let total = 0;
  for (let i = 0; total < count; i += 1) {
    const template = STYLES[i % STYLES.length]!;
    const perColour = template.sizes.length;
    const colours = template.colours.slice(0, Math.max(1, Math.min(template.colours.length, Math.ceil((count - total) / perColour))));
    const style = { ...template, code: `G${String(i + 1).padStart(5, '0')}`, name: `${template.name} ${i + 1}`, colours, partnerOnly: false };
    out.push(style);
    total += colours.length * perColour;
  }
  return out;
}

/**
 * A network of any size for benchmarks, with the demo's shapes (written by the same `loadNetwork`):
 * deep warehouses holding every SKU, stores holding a random share of the catalogue, suppliers and the
 * marketplace seller holding their own slices. Deterministic for a given seed.
 */
export function generateLargeNetwork(opts: LargeNetworkOptions): NetworkData {
  const random = new SeededRandom(opts.seed);
  const warehouses = demoWarehouses();
  const partners = demoPartners();
  const storeCount = Math.max(0, opts.locations - warehouses.length - partners.length);
  const storeList = stores(random, storeCount);
  const styleList = styles(opts.skus);
  const products = productsOf(styleList).slice(0, opts.skus);
  const sizesOf = new Map(styleList.map((s) => [s.code, s.sizes]));
  const curve = products.map((p) => sizeCurve(sizesOf.get(p.styleId) ?? [], p.attributes.size ?? ''));
  const assortment = opts.storeAssortment ?? 0.1;

  const stock: NetworkStock[] = [];
  for (const w of warehouses) {
    products.forEach((p, i) => stock.push({ sku: p.sku, locationId: w.id, onHand: random.chance(0.02) ? 0 : Math.max(1, Math.round(curve[i]! * random.int(40, 400))) }));
  }
  for (const s of storeList) {
    products.forEach((p, i) => {
      if (random.chance(assortment)) stock.push({ sku: p.sku, locationId: s.id, onHand: Math.round(curve[i]! * random.int(0, 8)) });
    });
  }
  for (const partner of partners) {
    const share = partner.type === 'supplier' ? 0.1 : 0.01;
    products.forEach((p, i) => {
      if (random.chance(share)) stock.push({ sku: p.sku, locationId: partner.id, onHand: Math.max(1, Math.round(curve[i]! * random.int(100, 1500))) });
    });
  }
  return {
    locations: [...warehouses, ...storeList, ...partners],
    products,
    channels: demoChannels(warehouses.map((w) => w.id)),
    stock,
  };
}
