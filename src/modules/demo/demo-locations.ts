import { lookupPostalCode } from '../geo/postal-codes.js';
import type { NetworkLocation } from './network-data.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * The demo retailer "Maison Ordo": a French apparel chain with stores in real cities (coordinates from the
 * postal code table), two distribution centres, three drop-ship suppliers and one marketplace seller.
 */
type Tier = 'flagship' | 'city' | 'small';
type Sunday = 'none' | 'morning' | 'tourist';

interface StoreSpec {
  id: string;
  name: string;
  line1: string;
  postalCode: string;
  city: string;
  tier: Tier;
  sunday?: Sunday;
  timeZone?: string;
}

const STORES: StoreSpec[] = [
  { id: 'paris-rivoli', name: 'Paris Rivoli', line1: '112 rue de Rivoli', postalCode: '75001', city: 'Paris', tier: 'flagship', sunday: 'tourist' },
  { id: 'paris-marais', name: 'Paris Marais', line1: '24 rue des Francs-Bourgeois', postalCode: '75004', city: 'Paris', tier: 'city', sunday: 'tourist' },
  { id: 'paris-saint-germain', name: 'Paris Saint-Germain', line1: '61 rue de Rennes', postalCode: '75006', city: 'Paris', tier: 'city', sunday: 'morning' },
  { id: 'paris-haussmann', name: 'Paris Haussmann', line1: '40 boulevard Haussmann', postalCode: '75009', city: 'Paris', tier: 'flagship', sunday: 'tourist' },
  { id: 'paris-bastille', name: 'Paris Bastille', line1: '18 rue du Faubourg Saint-Antoine', postalCode: '75011', city: 'Paris', tier: 'city' },
  { id: 'paris-montparnasse', name: 'Paris Montparnasse', line1: '9 rue de l’Arrivée', postalCode: '75015', city: 'Paris', tier: 'city' },
  { id: 'paris-passy', name: 'Paris Passy', line1: '53 rue de Passy', postalCode: '75016', city: 'Paris', tier: 'small' },
  { id: 'la-defense', name: 'La Défense', line1: '15 parvis de la Défense', postalCode: '92800', city: 'Puteaux', tier: 'city', sunday: 'morning' },
  { id: 'boulogne', name: 'Boulogne-Billancourt', line1: '98 boulevard Jean Jaurès', postalCode: '92100', city: 'Boulogne-Billancourt', tier: 'small' },
  { id: 'versailles', name: 'Versailles', line1: '27 rue de la Paroisse', postalCode: '78000', city: 'Versailles', tier: 'small', sunday: 'morning' },
  { id: 'creteil', name: 'Créteil Soleil', line1: '101 avenue du Général de Gaulle', postalCode: '94000', city: 'Créteil', tier: 'small' },
  { id: 'lyon-part-dieu', name: 'Lyon Part-Dieu', line1: '17 rue du Docteur Bouchut', postalCode: '69003', city: 'Lyon', tier: 'flagship' },
  { id: 'lyon-republique', name: 'Lyon République', line1: '45 rue de la République', postalCode: '69002', city: 'Lyon', tier: 'city' },
  { id: 'villeurbanne', name: 'Villeurbanne Gratte-Ciel', line1: '12 avenue Henri Barbusse', postalCode: '69100', city: 'Villeurbanne', tier: 'small' },
  { id: 'marseille-vieux-port', name: 'Marseille Vieux-Port', line1: '33 La Canebière', postalCode: '13001', city: 'Marseille', tier: 'flagship', sunday: 'morning' },
  { id: 'marseille-prado', name: 'Marseille Prado', line1: '36 boulevard du Sud', postalCode: '13008', city: 'Marseille', tier: 'city' },
  { id: 'aix-en-provence', name: 'Aix-en-Provence', line1: '8 cours Mirabeau', postalCode: '13100', city: 'Aix-en-Provence', tier: 'city' },
  { id: 'toulon', name: 'Toulon', line1: '21 rue d’Alger', postalCode: '83000', city: 'Toulon', tier: 'small' },
  { id: 'nice', name: 'Nice Masséna', line1: '14 avenue Jean Médecin', postalCode: '06000', city: 'Nice', tier: 'flagship', sunday: 'tourist' },
  { id: 'montpellier', name: 'Montpellier Comédie', line1: '5 rue de la Loge', postalCode: '34000', city: 'Montpellier', tier: 'city' },
  { id: 'avignon', name: 'Avignon', line1: '30 rue de la République', postalCode: '84000', city: 'Avignon', tier: 'small' },
  { id: 'perpignan', name: 'Perpignan', line1: '9 rue Mailly', postalCode: '66000', city: 'Perpignan', tier: 'small' },
  { id: 'toulouse', name: 'Toulouse Capitole', line1: '48 rue d’Alsace-Lorraine', postalCode: '31000', city: 'Toulouse', tier: 'flagship' },
  { id: 'bordeaux', name: 'Bordeaux Sainte-Catherine', line1: '120 rue Sainte-Catherine', postalCode: '33000', city: 'Bordeaux', tier: 'flagship' },
  { id: 'biarritz', name: 'Biarritz', line1: '6 place Clemenceau', postalCode: '64200', city: 'Biarritz', tier: 'small', sunday: 'morning' },
  { id: 'la-rochelle', name: 'La Rochelle', line1: '25 rue du Palais', postalCode: '17000', city: 'La Rochelle', tier: 'small' },
  { id: 'poitiers', name: 'Poitiers', line1: '11 rue Gambetta', postalCode: '86000', city: 'Poitiers', tier: 'small' },
  { id: 'limoges', name: 'Limoges', line1: '4 rue du Clocher', postalCode: '87000', city: 'Limoges', tier: 'small' },
  { id: 'clermont-ferrand', name: 'Clermont-Ferrand Jaude', line1: '2 place de Jaude', postalCode: '63000', city: 'Clermont-Ferrand', tier: 'city' },
  { id: 'nantes', name: 'Nantes Passage Pommeraye', line1: '3 rue Crébillon', postalCode: '44000', city: 'Nantes', tier: 'flagship' },
  { id: 'rennes', name: 'Rennes', line1: '19 rue Le Bastard', postalCode: '35000', city: 'Rennes', tier: 'city' },
  { id: 'brest', name: 'Brest Siam', line1: '60 rue de Siam', postalCode: '29200', city: 'Brest', tier: 'small' },
  { id: 'angers', name: 'Angers', line1: '13 rue Lenepveu', postalCode: '49000', city: 'Angers', tier: 'small' },
  { id: 'tours', name: 'Tours', line1: '52 rue Nationale', postalCode: '37000', city: 'Tours', tier: 'city' },
  { id: 'le-mans', name: 'Le Mans', line1: '7 rue des Minimes', postalCode: '72000', city: 'Le Mans', tier: 'small' },
  { id: 'caen', name: 'Caen', line1: '38 rue Saint-Pierre', postalCode: '14000', city: 'Caen', tier: 'small' },
  { id: 'rouen', name: 'Rouen Gros-Horloge', line1: '70 rue du Gros-Horloge', postalCode: '76000', city: 'Rouen', tier: 'city' },
  { id: 'lille', name: 'Lille Grand Place', line1: '31 rue Neuve', postalCode: '59000', city: 'Lille', tier: 'flagship', sunday: 'morning' },
  { id: 'amiens', name: 'Amiens', line1: '16 rue des Trois Cailloux', postalCode: '80000', city: 'Amiens', tier: 'small' },
  { id: 'reims', name: 'Reims', line1: '22 rue de Vesle', postalCode: '51100', city: 'Reims', tier: 'small' },
  { id: 'metz', name: 'Metz', line1: '10 rue Serpenoise', postalCode: '57000', city: 'Metz', tier: 'small' },
  { id: 'nancy', name: 'Nancy', line1: '27 rue Saint-Jean', postalCode: '54000', city: 'Nancy', tier: 'small' },
  { id: 'strasbourg', name: 'Strasbourg Kléber', line1: '5 place Kléber', postalCode: '67000', city: 'Strasbourg', tier: 'flagship' },
  { id: 'dijon', name: 'Dijon', line1: '44 rue de la Liberté', postalCode: '21000', city: 'Dijon', tier: 'small' },
  { id: 'besancon', name: 'Besançon', line1: '18 Grande Rue', postalCode: '25000', city: 'Besançon', tier: 'small' },
  { id: 'grenoble', name: 'Grenoble', line1: '3 rue Félix Poulat', postalCode: '38000', city: 'Grenoble', tier: 'city' },
  { id: 'annecy', name: 'Annecy', line1: '12 rue Royale', postalCode: '74000', city: 'Annecy', tier: 'small', sunday: 'morning' },
  { id: 'saint-etienne', name: 'Saint-Étienne', line1: '9 rue du Général Foy', postalCode: '42000', city: 'Saint-Étienne', tier: 'small' },
  { id: 'orleans', name: 'Orléans', line1: '35 rue de la République', postalCode: '45000', city: 'Orléans', tier: 'small' },
  { id: 'saint-denis-reunion', name: 'Saint-Denis (La Réunion)', line1: '50 rue Maréchal Leclerc', postalCode: '97400', city: 'Saint-Denis', tier: 'small', timeZone: 'Indian/Reunion' },
  { id: 'fort-de-france', name: 'Fort-de-France', line1: '15 rue Victor Hugo', postalCode: '97200', city: 'Fort-de-France', tier: 'small', timeZone: 'America/Martinique' },
];

/** Public holidays of the demo season on which the whole network is closed. */
const CLOSED_DAYS = [
  { date: '2026-12-25', closed: true, note: 'Noël' },
  { date: '2027-01-01', closed: true, note: 'Jour de l’an' },
];

const MON_SAT = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function storeHours(spec: StoreSpec): NetworkLocation['openingHours'] {
  // Overseas stores keep the long lunch break customary there, which also exercises split days.
  const day = spec.timeZone
    ? [{ open: '09:00', close: '12:30' }, { open: '14:30', close: '19:00' }]
    : [{ open: '10:00', close: '19:30' }];
  const hours: NonNullable<NetworkLocation['openingHours']> = Object.fromEntries(MON_SAT.map((d) => [d, day]));
  if (spec.sunday === 'morning') hours.sun = [{ open: '10:00', close: '13:00' }];
  if (spec.sunday === 'tourist') hours.sun = [{ open: '11:00', close: '19:00' }];
  return hours;
}

const TIER = {
  flagship: { capacity: [180, 260], cost: [350, 450], capabilities: ['ship_from_store', 'pickup', 'returns', 'same_day'] },
  city: { capacity: [80, 140], cost: [450, 550], capabilities: ['ship_from_store', 'pickup', 'returns'] },
  small: { capacity: [25, 60], cost: [550, 700], capabilities: ['ship_from_store', 'pickup', 'returns'] },
} as const;

export function storeTier(id: string): Tier | undefined {
  return STORES.find((s) => `store-${s.id}` === id)?.tier;
}

function coordinates(postalCode: string): { latitude: number; longitude: number } {
  const point = lookupPostalCode('FR', postalCode);
  if (!point) throw new Error(`demo store postal code ${postalCode} is not in the postal code table`);
  return point;
}

export function demoStores(random: SeededRandom): NetworkLocation[] {
  return STORES.map((spec, index) => {
    const tier = TIER[spec.tier];
    return {
      id: `store-${spec.id}`,
      name: `Maison Ordo ${spec.name}`,
      type: 'store',
      address: { line1: spec.line1, postalCode: spec.postalCode, city: spec.city, country: 'FR' },
      ...coordinates(spec.postalCode),
      timeZone: spec.timeZone ?? 'Europe/Paris',
      openingHours: storeHours(spec),
      openingExceptions: CLOSED_DAYS,
      capabilities: [...tier.capabilities],
      // Ship-from-store parcels accepted before 15:00 leave the same day; couriers take same-day orders until 14:00.
      cutoffs: { standard: '15:00', express: '15:00', same_day: '14:00' },
      dailyPickCapacity: random.int(tier.capacity[0], tier.capacity[1]),
      handlingCostMinor: random.int(tier.cost[0] / 10, tier.cost[1] / 10) * 10,
      // Stores rank after the warehouses by default; earlier entries (bigger stores) slightly first.
      priority: 10 - Math.floor(index / 10),
      dataReliability: random.between(spec.tier === 'flagship' ? 0.85 : 0.7, 0.98),
    };
  });
}

const WAREHOUSE_HOURS = {
  mon: [{ open: '06:00', close: '22:00' }],
  tue: [{ open: '06:00', close: '22:00' }],
  wed: [{ open: '06:00', close: '22:00' }],
  thu: [{ open: '06:00', close: '22:00' }],
  fri: [{ open: '06:00', close: '22:00' }],
  sat: [{ open: '06:00', close: '14:00' }],
};

export function demoWarehouses(): NetworkLocation[] {
  const common = { type: 'warehouse' as const, timeZone: 'Europe/Paris', openingHours: WAREHOUSE_HOURS, openingExceptions: CLOSED_DAYS, capabilities: ['ship' as const, 'returns' as const] };
  return [
    { id: 'wh-saint-priest', name: 'Entrepôt Lyon Saint-Priest', address: { line1: '12 rue du Dauphiné', postalCode: '69800', city: 'Saint-Priest', country: 'FR' }, ...coordinates('69800'), ...common, dailyPickCapacity: 18000, handlingCostMinor: 180, priority: 50, dataReliability: 0.995 },
    { id: 'wh-reau', name: 'Entrepôt Paris Réau', address: { line1: 'ZAC de l’A5, rue des Frères Lumière', postalCode: '77550', city: 'Réau', country: 'FR' }, ...coordinates('77550'), ...common, dailyPickCapacity: 25000, handlingCostMinor: 170, priority: 50, dataReliability: 0.99 },
  ];
}

/** Drop-ship suppliers, each with the styles it makes (it ships those directly to customers). */
export const SUPPLIER_RANGES: Record<string, readonly string[]> = {
  'sup-tricots-roanne': ['PUL', 'CAR', 'BON', 'ECH', 'SWC'],
  'sup-denim-porto': ['JSL', 'JDR', 'VJN', 'JUP'],
  'sup-chaussures-romans': ['BAS', 'BOT', 'MOC'],
};

export const MARKETPLACE_SELLER_RANGE: readonly string[] = ['CEI', 'SAC', 'PTF'];

export function demoPartners(): NetworkLocation[] {
  const weekdays = { mon: [{ open: '08:00', close: '17:00' }], tue: [{ open: '08:00', close: '17:00' }], wed: [{ open: '08:00', close: '17:00' }], thu: [{ open: '08:00', close: '17:00' }], fri: [{ open: '08:00', close: '16:00' }] };
  return [
    { id: 'sup-tricots-roanne', name: 'Tricotage de Roanne (drop-ship)', type: 'supplier', address: { postalCode: '42300', city: 'Roanne', country: 'FR' }, ...coordinates('42300'), timeZone: 'Europe/Paris', openingHours: weekdays, openingExceptions: CLOSED_DAYS, capabilities: ['ship'], dailyPickCapacity: 800, handlingCostMinor: 650, priority: 0, dataReliability: 0.9 },
    // Porto is outside the French postal table: coordinates of the city centre.
    { id: 'sup-denim-porto', name: 'Denim Atlântico Porto (drop-ship)', type: 'supplier', address: { postalCode: '4000-322', city: 'Porto', country: 'PT' }, latitude: 41.1579, longitude: -8.6291, timeZone: 'Europe/Lisbon', openingHours: weekdays, openingExceptions: [], capabilities: ['ship'], dailyPickCapacity: 1500, handlingCostMinor: 800, priority: -10, dataReliability: 0.85 },
    { id: 'sup-chaussures-romans', name: 'Chausseurs de Romans (drop-ship)', type: 'supplier', address: { postalCode: '26100', city: 'Romans-sur-Isère', country: 'FR' }, ...coordinates('26100'), timeZone: 'Europe/Paris', openingHours: weekdays, openingExceptions: CLOSED_DAYS, capabilities: ['ship'], dailyPickCapacity: 600, handlingCostMinor: 700, priority: 0, dataReliability: 0.88 },
    { id: 'mkp-maroquinerie-lenoir', name: 'Maroquinerie Lenoir (vendeur marketplace)', type: 'marketplace_seller', address: { postalCode: '33000', city: 'Bordeaux', country: 'FR' }, ...coordinates('33000'), timeZone: 'Europe/Paris', openingHours: weekdays, openingExceptions: CLOSED_DAYS, capabilities: ['ship'], dailyPickCapacity: 150, handlingCostMinor: 500, priority: -20, dataReliability: 0.8 },
  ];
}
