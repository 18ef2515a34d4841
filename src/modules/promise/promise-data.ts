import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { LocationTable } from '../../db/schema.js';
import type { Clock } from '../../domain/shared/clock.js';
import { holidaySet, type CalendarException, type LocationCalendar, type WeeklyHours } from '../../domain/promise/calendar.js';
import type { Carrier, LaneCounts, LocationType, ServiceLevel } from '../../domain/promise/carriers.js';
import { learnSlips, type SlipDistribution } from '../../domain/promise/departure-slip.js';
import type { RoutingTable } from '../../domain/sourcing/routing-policy.js';
import { loadRoutingTable } from '../sourcing/routing-policy.repository.js';
import { activeLocations, laneCounts, listCarriers, promiseDataVersion, readSettings, toCarrier } from './promise.repository.js';
import { slipCounts } from './departure-slip.repository.js';
import { DEFAULT_PROMISE_SETTINGS, type PromiseSettings } from './promise-settings.schemas.js';
import { PromiseInputs } from './promise-inputs.js';
import { QuoteInputs } from './quote-inputs.js';
import { nextRead } from './next-read.js';

/** A location's master data as the promise uses it; stock and load are added per request. */
export interface PromiseSite {
  id: string;
  name: string;
  type: LocationType;
  calendar: LocationCalendar;
  capabilities: ReadonlySet<string>;
  point: { latitude: number; longitude: number } | null;
  country: string;
  postalCode: string | undefined;
  cutoffs: Partial<Record<ServiceLevel, string>>;
  processingDays: number;
  pickupPrepMinutes: number;
  handlingCostMinor: number;
  priority: number;
  dataReliability: number;
  dailyPickCapacity: number | null;
  /** How late its parcels leave, learned from its recorded departures (one object per snapshot). */
  departureSlip: SlipDistribution;
}

export interface PromiseSnapshot {
  sites: PromiseSite[];
  sitesById: ReadonlyMap<string, PromiseSite>;
  carriers: Carrier[];
  observed: ReadonlyMap<string, LaneCounts>;
  settings: PromiseSettings;
  /** Routing policies and their assignments to channels (absent: the settings alone, as without any). */
  routing?: RoutingTable;
}

const HOLIDAY_YEARS = 2;
/**
 * How far behind the database a quote may be (quote-inputs.ts): pick loads and master data 4 poll
 * intervals (100 ms by default; past that, a late poll is not fatal, the quote reads fresh), a SKU's
 * product facts and open supply 500 ms more (they change with the catalogue, purchase orders and
 * backorders, not with every order). A SKU no quote asked for in a minute stops being polled.
 */
const QUOTE_INPUTS = { maxAgePolls: 4, factsRefreshMs: 500, idleSkuMs: 60_000 };

/**
 * Locations, carriers, learned transit and settings, cached per process: a promise costs one small
 * version query instead of reloading them. Any change to those tables (by any process) moves the version
 * and the next promise reloads, so a new carrier or a recorded delivery counts from the next request.
 */
export class PromiseData {
  private version = '';
  private snapshot: PromiseSnapshot | undefined;
  private loading: { version: string; snapshot: Promise<PromiseSnapshot> } | undefined;
  private readonly holidayCache = new Map<string, ReadonlySet<string>>();
  /** Concurrent promises share the version query (each still sees every change committed before it asked). */
  private readonly readVersion: () => Promise<string>;
  /** Product facts, open supply and pick loads, read per promise in shared statements. */
  readonly inputs: PromiseInputs;
  /** The same inputs polled into memory every `pollIntervalMs` (the `promise-quote-inputs` task), for quotes only. */
  readonly quotes: QuoteInputs;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    pollIntervalMs = 25,
  ) {
    this.readVersion = nextRead<void, string>(() => promiseDataVersion(db));
    this.inputs = new PromiseInputs(db);
    const { maxAgePolls, ...facts } = QUOTE_INPUTS;
    this.quotes = new QuoteInputs(db, clock, { maxAgeMs: maxAgePolls * pollIntervalMs, ...facts });
  }

  async current(): Promise<PromiseSnapshot> {
    return this.at(await this.readVersion());
  }

  /** The snapshot of a version read elsewhere (a promise reads it with its inputs, in one statement). */
  async at(version: string): Promise<PromiseSnapshot> {
    if (!this.snapshot || version !== this.version) {
      // Concurrent promises that see the same new version share one reload.
      if (this.loading?.version !== version) {
        const loading = { version, snapshot: this.load() };
        this.loading = loading;
        loading.snapshot.then(
          (snapshot) => {
            if (this.loading === loading) {
              this.snapshot = snapshot;
              this.version = version;
              this.loading = undefined;
            }
          },
          () => {
            if (this.loading === loading) this.loading = undefined;
          },
        );
      }
      return this.loading.snapshot;
    }
    return this.snapshot;
  }

  /** Public holidays of a country for the years around now (carriers do not deliver on them). */
  holidays(country: string, year: number): ReadonlySet<string> {
    const key = `${country}:${year}`;
    let set = this.holidayCache.get(key);
    if (!set) {
      set = holidaySet(country, year - 1, year + HOLIDAY_YEARS);
      this.holidayCache.set(key, set);
    }
    return set;
  }

  private async load(): Promise<PromiseSnapshot> {
    const [rows, carriers, observed, stored, routing, slips] = await Promise.all([
      activeLocations(this.db),
      listCarriers(this.db),
      laneCounts(this.db),
      readSettings(this.db),
      loadRoutingTable(this.db),
      slipCounts(this.db),
    ]);
    const settings = { ...DEFAULT_PROMISE_SETTINGS, ...(stored as Partial<PromiseSettings> | undefined) };
    const year = this.clock.now().getUTCFullYear();
    const departureSlips = learnSlips(rows, slips, settings.priorWeight);
    const sites = rows.map((r): PromiseSite => {
      const type = r.type as LocationType;
      const address = r.address as { country?: string; postalCode?: string };
      const country = address.country ?? 'FR';
      return {
        id: r.id,
        name: r.name,
        type,
        calendar: locationCalendar(r, this.holidays(country, year)),
        capabilities: new Set(r.capabilities),
        point: r.latitude !== null && r.longitude !== null ? { latitude: r.latitude, longitude: r.longitude } : null,
        country,
        postalCode: address.postalCode,
        cutoffs: r.cutoffs as Partial<Record<ServiceLevel, string>>,
        processingDays: r.processing_days ?? settings.locationTypes[type].processingDays,
        pickupPrepMinutes: r.pickup_prep_minutes ?? settings.locationTypes[type].pickupPrepMinutes,
        handlingCostMinor: r.handling_cost_minor,
        priority: r.priority,
        dataReliability: r.data_reliability,
        dailyPickCapacity: r.daily_pick_capacity,
        departureSlip: departureSlips.get(r.id)!,
      };
    });
    return { sites, sitesById: new Map(sites.map((s) => [s.id, s])), carriers: carriers.map(toCarrier), observed, settings, routing };
  }
}

/** A location row's calendar, closed on the given public holidays. */
export function locationCalendar(r: Pick<Selectable<LocationTable>, 'time_zone' | 'opening_hours' | 'opening_exceptions'>, holidays: ReadonlySet<string>): LocationCalendar {
  return { timeZone: r.time_zone, weeklyHours: r.opening_hours as WeeklyHours, exceptions: r.opening_exceptions as CalendarException[], holidays };
}
