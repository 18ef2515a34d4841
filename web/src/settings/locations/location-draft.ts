import { WEEKDAYS, type LocationDetail, type LocationInput } from '../types';

const ADDRESS_KEYS = ['line1', 'line2', 'postalCode', 'city', 'country'] as const;

/** The PUT body that leaves a location exactly as it is (the form edits this, then sends it whole). */
export function toInput(l: LocationDetail): LocationInput {
  const address: LocationInput['address'] = {};
  for (const k of ADDRESS_KEYS) if (typeof l.address[k] === 'string') address[k] = l.address[k] as string;
  return {
    name: l.name,
    type: l.type,
    address,
    ...(l.latitude !== null ? { latitude: l.latitude } : {}),
    ...(l.longitude !== null ? { longitude: l.longitude } : {}),
    timeZone: l.timeZone,
    openingHours: l.openingHours,
    openingExceptions: l.openingExceptions,
    capabilities: l.capabilities,
    dailyPickCapacity: l.dailyPickCapacity,
    handlingCostMinor: l.handlingCostMinor,
    priority: l.priority,
    dataReliability: l.dataReliability,
    active: l.active,
    cutoffs: l.cutoffs,
    processingDays: l.processingDays,
    pickupPrepMinutes: l.pickupPrepMinutes,
  };
}

/** What the form holds, tidied for the API: empty address fields, cut-offs and closed days are left out. */
export function cleanInput(d: LocationInput): LocationInput {
  const address = Object.fromEntries(Object.entries(d.address ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
  const cutoffs = Object.fromEntries(Object.entries(d.cutoffs ?? {}).filter(([, v]) => v));
  const openingHours = Object.fromEntries(WEEKDAYS.flatMap((day) => (d.openingHours?.[day]?.length ? [[day, d.openingHours[day]]] : [])));
  const { latitude, longitude, ...rest } = d;
  return {
    ...rest,
    name: d.name.trim(),
    timeZone: d.timeZone.trim(),
    address,
    cutoffs,
    openingHours,
    ...(latitude !== undefined ? { latitude } : {}),
    ...(longitude !== undefined ? { longitude } : {}),
  };
}
