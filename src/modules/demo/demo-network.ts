import { demoPartners, demoStores, demoWarehouses, MARKETPLACE_SELLER_RANGE, storeTier, SUPPLIER_RANGES } from './demo-locations.js';
import { productsOf, sizeCurve, skuOf, STYLES, type StyleSpec } from './demo-catalog.js';
import type { NetworkChannel, NetworkData, NetworkLocation, NetworkStock } from './network-data.js';
import { SeededRandom } from './seeded-random.js';

export const DEMO_SEED = 20260105;

/** Sales channels of the demo: the marketplace only sells warehouse stock, capped and behind the web shop. */
export function demoChannels(warehouseIds: string[]): NetworkChannel[] {
  return [
    { id: 'web', name: 'Site web maisonordo.fr', type: 'web', eligibleLocationIds: null, pool: {} },
    { id: 'app', name: 'Application mobile', type: 'app', eligibleLocationIds: null, pool: {} },
    { id: 'pos', name: 'Caisses magasins (vente assistée)', type: 'pos', eligibleLocationIds: null, pool: {} },
    { id: 'callcenter', name: 'Service client', type: 'callcenter', eligibleLocationIds: null, pool: {} },
    {
      id: 'marketplace:zalando',
      name: 'Zalando',
      type: 'marketplace',
      eligibleLocationIds: warehouseIds,
      pool: { maxShare: 0.3, protections: [{ channelId: 'web', quantity: 2 }] },
    },
  ];
}

// Stock depth (units of a mid size) and the chance that a store carries a style, per store size.
const STORE_DEPTH = { flagship: 9, city: 5, small: 3 } as const;
const STORE_BREADTH = { flagship: 0.95, city: 0.8, small: 0.6 } as const;
// Too warm for coats and wool in the overseas departments.
const TROPICAL_EXCLUDED = new Set(['outerwear', 'knitwear']);

function storeStock(random: SeededRandom, store: NetworkLocation, styles: readonly StyleSpec[]): NetworkStock[] {
  const tier = storeTier(store.id) ?? 'small';
  const tropical = store.timeZone !== 'Europe/Paris';
  const rows: NetworkStock[] = [];
  for (const style of styles) {
    if (tropical && TROPICAL_EXCLUDED.has(style.category)) continue;
    if (!random.chance(STORE_BREADTH[tier])) continue;
    for (const colour of style.colours) {
      if (!random.chance(tier === 'small' ? 0.7 : 0.9)) continue;
      for (const size of style.sizes) {
        // A carried size can be sold out (0 on hand): the row stays, as a store's feed reports it.
        const soldOut = random.chance(0.12);
        const units = Math.round(sizeCurve(style.sizes, size) * STORE_DEPTH[tier] * random.between(0.2, 1.6));
        rows.push({ sku: skuOf(style.code, colour, size), locationId: store.id, onHand: soldOut ? 0 : units });
      }
    }
  }
  return rows;
}

function deepStock(random: SeededRandom, locationId: string, styles: readonly StyleSpec[], min: number, max: number, stockoutRate: number): NetworkStock[] {
  return styles.flatMap((style) =>
    style.colours.flatMap((colour) =>
      style.sizes.map((size) => ({
        sku: skuOf(style.code, colour, size),
        locationId,
        onHand: random.chance(stockoutRate) ? 0 : Math.max(1, Math.round(sizeCurve(style.sizes, size) * random.int(min, max))),
      })),
    ),
  );
}

/** The demo network, identical for a given seed. */
export function buildDemoNetwork(seed = DEMO_SEED): NetworkData {
  const random = new SeededRandom(seed);
  const stores = demoStores(random);
  const warehouses = demoWarehouses();
  const partners = demoPartners();
  // Pre-orders have no stock yet; partner-only styles live at their supplier or seller only.
  const retail = STYLES.filter((s) => !s.preorderable && !s.partnerOnly);
  const stylesOf = (codes: readonly string[]) => STYLES.filter((s) => codes.includes(s.code) && !s.preorderable);

  const stock: NetworkStock[] = [
    ...deepStock(random, 'wh-reau', retail, 80, 450, 0.02),
    ...deepStock(random, 'wh-saint-priest', retail, 60, 320, 0.03),
    ...stores.flatMap((store) => storeStock(random, store, retail)),
    ...Object.entries(SUPPLIER_RANGES).flatMap(([id, codes]) => deepStock(random, id, stylesOf(codes), 300, 2000, 0)),
    ...deepStock(random, 'mkp-maroquinerie-lenoir', stylesOf(MARKETPLACE_SELLER_RANGE), 5, 60, 0.05),
  ];
  return {
    locations: [...warehouses, ...stores, ...partners],
    products: productsOf(STYLES),
    channels: demoChannels(warehouses.map((w) => w.id)),
    stock,
  };
}
