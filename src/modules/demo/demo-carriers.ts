import type { CarrierInput } from '../promise/carrier.schemas.js';

const MON_FRI = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const MON_SAT = [...MON_FRI, 'sat'] as const;
const t = (...pairs: Array<[number, number]>) => pairs.map(([days, share]) => ({ days, share }));

/**
 * The demo's carriers, with plausible French figures: published transit per distance band as a
 * distribution (what carriers announce, not a padded constant), parcel prices by weight band in euro cents.
 */
export const DEMO_CARRIERS: Record<string, CarrierInput> = {
  colissimo: {
    name: 'Colissimo',
    trackingUrlTemplate: 'https://www.laposte.fr/outils/suivre-vos-envois?code={trackingNumber}',
    services: [
      {
        service: 'standard',
        name: 'Colissimo Domicile',
        originTypes: ['warehouse', 'store', 'supplier', 'marketplace_seller'],
        destinationCountries: ['FR', 'BE', 'LU'],
        pickupWeekdays: [...MON_SAT],
        deliveryWeekdays: [...MON_SAT],
        cutoff: '16:00',
        lanes: [
          { country: 'FR', maxDistanceKm: 100, transit: t([1, 0.7], [2, 0.25], [3, 0.05]) },
          { country: 'FR', maxDistanceKm: 400, transit: t([1, 0.45], [2, 0.45], [3, 0.08], [4, 0.02]) },
          { country: 'FR', maxDistanceKm: null, transit: t([2, 0.6], [3, 0.3], [4, 0.1]) },
          { country: 'BE', maxDistanceKm: null, transit: t([2, 0.35], [3, 0.45], [4, 0.2]) },
          { country: 'LU', maxDistanceKm: null, transit: t([2, 0.35], [3, 0.45], [4, 0.2]) },
        ],
        rates: [
          { maxWeightGrams: 250, costMinor: 495 },
          { maxWeightGrams: 500, costMinor: 595 },
          { maxWeightGrams: 1000, costMinor: 695 },
          { maxWeightGrams: 2000, costMinor: 795 },
          { maxWeightGrams: 5000, costMinor: 1095 },
          { maxWeightGrams: 10000, costMinor: 1595 },
          { maxWeightGrams: 30000, costMinor: 2595 },
        ],
      },
    ],
  },
  chronopost: {
    name: 'Chronopost',
    trackingUrlTemplate: 'https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={trackingNumber}',
    services: [
      {
        service: 'express',
        name: 'Chrono 13',
        originTypes: ['warehouse', 'store'],
        destinationCountries: ['FR'],
        pickupWeekdays: [...MON_FRI],
        deliveryWeekdays: [...MON_SAT],
        cutoff: '17:00',
        lanes: [{ country: 'FR', maxDistanceKm: null, transit: t([1, 0.93], [2, 0.06], [3, 0.01]) }],
        rates: [
          { maxWeightGrams: 1000, costMinor: 1290 },
          { maxWeightGrams: 2000, costMinor: 1490 },
          { maxWeightGrams: 5000, costMinor: 1890 },
          { maxWeightGrams: 10000, costMinor: 2490 },
          { maxWeightGrams: 30000, costMinor: 3990 },
        ],
      },
    ],
  },
  dpd: {
    name: 'DPD France',
    trackingUrlTemplate: 'https://trace.dpd.fr/fr/trace/{trackingNumber}',
    services: [
      {
        service: 'standard',
        name: 'DPD Predict',
        originTypes: ['warehouse', 'supplier'],
        destinationCountries: ['FR', 'BE'],
        pickupWeekdays: [...MON_FRI],
        deliveryWeekdays: [...MON_FRI],
        cutoff: '17:30',
        lanes: [
          { country: 'FR', maxDistanceKm: 400, transit: t([1, 0.55], [2, 0.38], [3, 0.07]) },
          { country: 'FR', maxDistanceKm: null, transit: t([2, 0.55], [3, 0.35], [4, 0.1]) },
          { country: 'BE', maxDistanceKm: null, transit: t([2, 0.5], [3, 0.4], [4, 0.1]) },
        ],
        rates: [
          { maxWeightGrams: 1000, costMinor: 650 },
          { maxWeightGrams: 3000, costMinor: 750 },
          { maxWeightGrams: 5000, costMinor: 850 },
          { maxWeightGrams: 10000, costMinor: 1150 },
          { maxWeightGrams: 20000, costMinor: 1550 },
          { maxWeightGrams: 30000, costMinor: 1950 },
        ],
      },
    ],
  },
  'coursier-urbain': {
    name: 'Coursier Urbain (same day)',
    trackingUrlTemplate: null,
    services: [
      {
        service: 'same_day',
        name: 'Livraison le jour même',
        originTypes: ['store'],
        destinationCountries: ['FR'],
        maxDistanceKm: 15,
        pickupWeekdays: [...MON_SAT],
        deliveryWeekdays: [...MON_SAT],
        cutoff: '14:00',
        lanes: [{ country: 'FR', maxDistanceKm: null, transit: t([0, 0.96], [1, 0.04]) }],
        rates: [
          { maxWeightGrams: 5000, costMinor: 990 },
          { maxWeightGrams: 15000, costMinor: 1490 },
        ],
      },
    ],
  },
  'transportes-atlantico': {
    name: 'Transportes Atlântico (Denim Atlântico own carrier)',
    trackingUrlTemplate: null,
    services: [
      {
        service: 'standard',
        name: 'Rodoviário',
        originTypes: ['supplier'],
        originLocationIds: ['sup-denim-porto'],
        destinationCountries: ['FR', 'PT', 'ES'],
        pickupWeekdays: [...MON_FRI],
        deliveryWeekdays: [...MON_FRI],
        cutoff: '12:00',
        lanes: [
          { country: 'FR', maxDistanceKm: null, transit: t([3, 0.3], [4, 0.45], [5, 0.2], [6, 0.05]) },
          { country: 'PT', maxDistanceKm: null, transit: t([1, 0.6], [2, 0.35], [3, 0.05]) },
          { country: 'ES', maxDistanceKm: null, transit: t([2, 0.6], [3, 0.3], [4, 0.1]) },
        ],
        rates: [
          { maxWeightGrams: 2000, costMinor: 900 },
          { maxWeightGrams: 10000, costMinor: 1300 },
          { maxWeightGrams: 30000, costMinor: 2200 },
        ],
      },
    ],
  },
};
