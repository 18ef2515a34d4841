import type { Db } from '../../db/database.js';
import { displayDistance, rankByDistance } from '../../domain/availability/rank-locations.js';
import type { LatLng } from '../../domain/geo/distance.js';
import { capChannelAvailability, isEligibleLocation, protectedForOthers, type ChannelRules } from '../../domain/inventory/pools.js';
import { fail, ok, type Result } from '../../domain/shared/result.js';
import {
  loadChannels,
  loadEverything,
  loadLocations,
  loadPositionChunk,
  readChangesSince,
  type ViewLocationRow,
} from './availability.repository.js';

/** Cells per (SKU, location): on hand, reserved, safety stock. */
const CELL = 3;
const LOAD_CHUNK_SKUS = 2_000;

interface ViewChannel {
  rules: ChannelRules;
  /** 1 where the location is active and eligible for the channel, by location index. */
  mask: Uint8Array;
  /** Units kept for other channels (pool protections), subtracted from this channel's figure. */
  protectedUnits: number;
}

export interface AvailabilityQuery {
  skus: readonly string[];
  channelId?: string;
  origin?: LatLng;
  radiusKm?: number;
  limit: number;
}

export interface LocationAvailability {
  locationId: string;
  name: string;
  type: string;
  atp: number;
  distanceKm: number | null;
}

export interface SkuAvailability {
  sku: string;
  /** false: no stock position anywhere for this SKU (unknown product, or never stocked). */
  known: boolean;
  networkAtp: number;
  locations: LocationAvailability[];
}

/**
 * Available-to-promise served from memory (PERFORMANCE §4, G4): every stock position, the locations and
 * the channels, loaded once and then kept up to date by polling committed changes every
 * `pollIntervalMs` (see `readChangesSince` for why no commit is ever missed). Each process has its own
 * view, so staleness across processes is one poll interval plus one query.
 *
 * It is a read model for storefronts and store staff only: reservations and orders never decide from
 * it. They take their guarded UPDATE on `stock_position`, which is the only thing that can refuse to
 * oversell; a stale figure here can at worst promise a unit a reservation then refuses.
 *
 * Layout: per SKU one Int32Array of `3 × locations` cells indexed by a location index (300 locations ×
 * 20,000 SKUs = 72 MB, no object per position). Location indexes are stable for the life of the process:
 * a new location is appended, and a SKU's array grows the first time it gets stock there.
 */
export class AvailabilityView {
  private locations: ViewLocationRow[] = [];
  private readonly locationIndex = new Map<string, number>();
  private readonly stock = new Map<string, Int32Array>();
  private activeMask = new Uint8Array(0);
  private channels = new Map<string, ViewChannel>();
  private snapshot: string | undefined;
  private masterData = '';

  constructor(private readonly db: Db) {}

  get loaded(): boolean {
    return this.snapshot !== undefined;
  }

  get skuCount(): number {
    return this.stock.size;
  }

  /** One poll: the full load the first time, then the changes committed since the previous poll. */
  async refresh(): Promise<void> {
    if (this.snapshot === undefined) return this.loadAll();
    const batch = await readChangesSince(this.db, this.snapshot);
    if (batch.masterData !== this.masterData) {
      // Recorded before reloading: a change committed during the reload shows as a new fingerprint
      // on the next poll and reloads again, never the reverse.
      this.masterData = batch.masterData;
      this.applyMasterData(await loadLocations(this.db), await loadChannels(this.db));
    }
    for (const p of batch.positions) this.setPosition(p.sku, p.locationId, p.onHand, p.reserved, p.safetyStock);
    this.snapshot = batch.snapshot;
  }

  private async loadAll(): Promise<void> {
    await loadEverything(this.db, async (tx, snap) => {
      this.applyMasterData(await loadLocations(tx), await loadChannels(tx));
      this.stock.clear();
      // Pipelined: the next chunk is requested before this one is parsed, so the database builds it
      // while JavaScript parses (about halves the load of 6 million positions on two cores).
      let pending = loadPositionChunk(tx, '', LOAD_CHUNK_SKUS);
      for (;;) {
        const rows = await pending;
        const full = rows.length === LOAD_CHUNK_SKUS;
        if (full) pending = loadPositionChunk(tx, rows[rows.length - 1]!.sku, LOAD_CHUNK_SKUS);
        for (const row of rows) this.loadPackedCells(row.sku, row.cells);
        if (!full) break;
      }
      this.masterData = snap.masterData;
      this.snapshot = snap.snapshot;
    });
  }

  /** Parses `location,onHand,reserved,safety;...` without building an object per position. */
  private loadPackedCells(sku: string, packed: string): void {
    const cells = new Int32Array(this.locations.length * CELL);
    let start = 0;
    while (start < packed.length) {
      let end = packed.indexOf(';', start);
      if (end < 0) end = packed.length;
      const c1 = packed.indexOf(',', start);
      const c2 = packed.indexOf(',', c1 + 1);
      const c3 = packed.indexOf(',', c2 + 1);
      const index = this.locationIndex.get(packed.slice(start, c1));
      if (index !== undefined) {
        cells[index * CELL] = +packed.slice(c1 + 1, c2);
        cells[index * CELL + 1] = +packed.slice(c2 + 1, c3);
        cells[index * CELL + 2] = +packed.slice(c3 + 1, end);
      }
      start = end + 1;
    }
    this.stock.set(sku, cells);
  }

  private setPosition(sku: string, locationId: string, onHand: number, reserved: number, safetyStock: number): void {
    const index = this.locationIndex.get(locationId);
    // A position always references an existing location; one committed after our master data read
    // comes with a new fingerprint, so it is known by the time its position is applied.
    if (index === undefined) return;
    let cells = this.stock.get(sku);
    if (!cells || cells.length <= index * CELL) {
      const grown = new Int32Array(this.locations.length * CELL);
      if (cells) grown.set(cells);
      cells = grown;
      this.stock.set(sku, cells);
    }
    cells[index * CELL] = onHand;
    cells[index * CELL + 1] = reserved;
    cells[index * CELL + 2] = safetyStock;
  }

  private applyMasterData(locations: ViewLocationRow[], channels: ChannelRules[]): void {
    const byIndex = [...this.locations];
    for (const l of locations) {
      const index = this.locationIndex.get(l.id);
      if (index === undefined) {
        this.locationIndex.set(l.id, byIndex.length);
        byIndex.push(l);
      } else {
        byIndex[index] = l;
      }
    }
    // A location deleted from the table (only possible without stock) stops counting.
    const present = new Set(locations.map((l) => l.id));
    this.locations = byIndex.map((l) => (present.has(l.id) ? l : { ...l, active: false }));
    this.activeMask = Uint8Array.from(this.locations, (l) => (l.active ? 1 : 0));
    const next = new Map<string, ViewChannel>();
    for (const rules of channels) {
      next.set(rules.id, {
        rules,
        mask: Uint8Array.from(this.locations, (l) => (l.active && isEligibleLocation(rules, l.id) ? 1 : 0)),
        protectedUnits: protectedForOthers(rules, channels),
      });
    }
    this.channels = next;
  }

  /** A channel's eligibility and pool rules (undefined: no such channel). */
  channel(channelId: string): ChannelRules | undefined {
    return this.channels.get(channelId)?.rules;
  }

  /** One position as the view holds it (undefined when the view has none). */
  position(sku: string, locationId: string): { onHand: number; reserved: number; safetyStock: number; atp: number } | undefined {
    const index = this.locationIndex.get(locationId);
    const cells = this.stock.get(sku);
    if (index === undefined || !cells || cells.length <= index * CELL) return undefined;
    const onHand = cells[index * CELL]!;
    const reserved = cells[index * CELL + 1]!;
    const safetyStock = cells[index * CELL + 2]!;
    return { onHand, reserved, safetyStock, atp: Math.max(0, onHand - reserved - safetyStock) };
  }

  /**
   * Network and per-location ATP for a basket, from memory only. Per-location figures are capped by the
   * channel's network figure, so a client never shows more than the channel may sell.
   */
  query(q: AvailabilityQuery): Result<{ channel: string | null; items: SkuAvailability[] }> {
    if (!this.loaded) return fail('availability_not_ready', 'the availability view is still loading; retry in a moment');
    let channel: ViewChannel | undefined;
    if (q.channelId !== undefined) {
      channel = this.channels.get(q.channelId);
      if (!channel) return fail('channel_not_found', `no channel ${q.channelId}`);
    }
    const mask = channel ? channel.mask : this.activeMask;
    const sellable = !channel || channel.rules.active;
    const ranking = rankByDistance(q.origin, this.locations);
    const items: SkuAvailability[] = [];
    for (const sku of q.skus) {
      const cells = this.stock.get(sku);
      if (!cells) {
        items.push({ sku, known: false, networkAtp: 0, locations: [] });
        continue;
      }
      const slots = Math.min(mask.length, cells.length / CELL);
      const networkAtp = sellable ? networkAtpOf(cells, slots, mask, channel) : 0;
      items.push({ sku, known: true, networkAtp, locations: this.nearest(cells, slots, mask, networkAtp, ranking, q) });
    }
    return ok({ channel: q.channelId ?? null, items });
  }

  /**
   * The same figures as `query` without a limit, per location: ATP of each SKU at every location eligible
   * for the channel that holds some (capped by the channel's network figure). What a promise sources from;
   * no ranking, no objects per position.
   */
  atpByLocation(skus: readonly string[], channelId: string): Result<Map<string, Map<string, number>>> {
    if (!this.loaded) return fail('availability_not_ready', 'the availability view is still loading; retry in a moment');
    const channel = this.channels.get(channelId);
    if (!channel) return fail('channel_not_found', `no channel ${channelId}`);
    const byLocation = new Map<string, Map<string, number>>();
    if (!channel.rules.active) return ok(byLocation);
    const { mask } = channel;
    for (const sku of skus) {
      const cells = this.stock.get(sku);
      if (!cells) continue;
      const slots = Math.min(mask.length, cells.length / CELL);
      const cap = networkAtpOf(cells, slots, mask, channel);
      if (cap === 0) continue;
      for (let i = 0; i < slots; i++) {
        if (mask[i] !== 1) continue;
        const atp = atpAt(cells, i);
        if (atp <= 0) continue;
        const id = this.locations[i]!.id;
        let perSku = byLocation.get(id);
        if (!perSku) byLocation.set(id, (perSku = new Map()));
        perSku.set(sku, Math.min(atp, cap));
      }
    }
    return ok(byLocation);
  }

  private nearest(
    cells: Int32Array,
    slots: number,
    mask: Uint8Array,
    cap: number,
    ranking: ReturnType<typeof rankByDistance>,
    q: AvailabilityQuery,
  ): LocationAvailability[] {
    if (cap === 0) return [];
    const found: LocationAvailability[] = [];
    for (const i of ranking.order) {
      if (i >= slots || mask[i] !== 1) continue;
      const atp = atpAt(cells, i);
      if (atp <= 0) continue;
      const distance = ranking.distances[i]!;
      // Without an origin there is no radius to honour; with one, an unplaced location is out of range.
      if (q.origin && q.radiusKm !== undefined && !(distance <= q.radiusKm)) continue;
      const l = this.locations[i]!;
      found.push({ locationId: l.id, name: l.name, type: l.type, atp: Math.min(atp, cap), distanceKm: displayDistance(distance) });
      // With an origin the walk is already nearest first and may stop early.
      if (q.origin && found.length === q.limit) break;
    }
    if (!q.origin) {
      found.sort((a, b) => b.atp - a.atp || (a.locationId < b.locationId ? -1 : 1));
      found.length = Math.min(found.length, q.limit);
    }
    return found;
  }
}

/** What the network may sell of one SKU: the eligible locations' ATP, after the channel's pool rules. */
function networkAtpOf(cells: Int32Array, slots: number, mask: Uint8Array, channel: ViewChannel | undefined): number {
  let eligibleAtp = 0;
  for (let i = 0; i < slots; i++) {
    if (mask[i] === 1) eligibleAtp += atpAt(cells, i);
  }
  return channel ? capChannelAvailability(eligibleAtp, channel.protectedUnits, channel.rules.pool) : eligibleAtp;
}

function atpAt(cells: Int32Array, index: number): number {
  const atp = cells[index * CELL]! - cells[index * CELL + 1]! - cells[index * CELL + 2]!;
  return atp > 0 ? atp : 0;
}
