import type { Db } from '../../db/database.js';
import { addDays, localDateOf } from '../../domain/promise/calendar.js';
import { netSupply, type SupplyArrival } from '../../domain/promise/net-supply.js';
import type { Clock } from '../../domain/shared/clock.js';
import { readPromiseInputs, type ProductFacts } from './promise-inputs.repository.js';
import type { PromiseInputsOf } from './promise-inputs.js';

export interface QuoteInputsOptions {
  /** Pick loads and the master data version serve quotes while their poll was sent at most this long ago. */
  maxAgeMs: number;
  /**
   * A SKU's facts (product, net open supply) are re-read by the first poll once they are this old: as
   * quotes are only served from a poll at most `maxAgeMs` old, they are at most the sum of both.
   */
  factsRefreshMs: number;
  /** A SKU no quote asked for in this long stops being polled. */
  idleSkuMs: number;
}

interface SkuFacts {
  /** performance.now() when the statement that read them was sent. */
  sentAt: number;
  product: ProductFacts | undefined;
  /** Its net open supply, earliest arrival first. */
  supply: readonly SupplyArrival[];
}

interface Loads {
  sentAt: number;
  fromDay: string;
  loads: ReadonlyMap<string, ReadonlyMap<string, number>>;
  dataVersion: string;
}

/**
 * The promise inputs of the SKUs quotes ask for, polled into memory by the `promise-quote-inputs` task in
 * every process, so a quote (POST /v1/promise without a hold) makes no database read of its own. Each
 * poll reads the pick loads and the master data version (they move with every order); a SKU's product
 * facts and net open supply (they move with catalogue, purchase order and backorder changes) are re-read
 * every `factsRefreshMs`, and at the first poll after a quote first asks for the SKU. The rule that keeps
 * it honest:
 * - a quote is served from memory only while the last poll was sent at most `maxAgeMs` ago (its SKUs'
 *   facts are then at most `factsRefreshMs + maxAgeMs` old) and that poll had read its SKUs; otherwise it
 *   reads fresh, as before. With the task stopped (tests, a stalled process) every quote reads fresh.
 * - a hold, an order and every flow that commits never reads from here, and holding re-checks stock and
 *   pick capacity inside its transaction: a stale quote can at worst offer an option a hold then refuses,
 *   as a quote can with the availability view's stock.
 * - a change this process makes to pick loads (a hold, a release) drops the loads at once.
 */
export class QuoteInputs {
  private readonly facts = new Map<string, SkuFacts>();
  private loads: Loads | undefined;
  /** SKU → performance.now() of the last quote that asked for it. */
  private readonly asked = new Map<string, number>();
  /** Moves on every invalidation: a poll sent before it must not install what it read. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: QuoteInputsOptions,
    private readonly read: typeof readPromiseInputs = readPromiseInputs,
  ) {}

  /** One poll: the pick loads and data version, with the facts of the SKUs that are due. */
  async refresh(): Promise<void> {
    const now = performance.now();
    for (const [sku, at] of this.asked) {
      if (now - at > this.options.idleSkuMs) {
        this.asked.delete(sku);
        this.facts.delete(sku);
      }
    }
    if (this.asked.size === 0) {
      this.loads = undefined;
      return;
    }
    const due = [...this.asked.keys()].filter((sku) => !(now - (this.facts.get(sku)?.sentAt ?? -Infinity) < this.options.factsRefreshMs));
    const generation = this.generation;
    // The day every promise asks from (compute-promise.ts): yesterday in UTC.
    const fromDay = addDays(localDateOf('UTC', this.clock.now().getTime()), -1);
    const sentAt = performance.now();
    const rows = await this.read(this.db, due, fromDay);
    if (generation !== this.generation) return;
    // Netting is per (SKU, location): each SKU's share of the netted supply is what netting it alone gives.
    const supply = new Map<string, SupplyArrival[]>();
    for (const a of netSupply(rows.arrivals, rows.waiting)) {
      const list = supply.get(a.sku);
      if (list) list.push(a);
      else supply.set(a.sku, [a]);
    }
    const products = new Map(rows.products.map((p) => [p.sku, p]));
    for (const sku of due) this.facts.set(sku, { sentAt, product: products.get(sku), supply: supply.get(sku) ?? [] });
    const loads = new Map<string, Map<string, number>>();
    for (const l of rows.loads) {
      let days = loads.get(l.locationId);
      if (!days) loads.set(l.locationId, (days = new Map()));
      days.set(l.day, l.units);
    }
    this.loads = { sentAt, fromDay, loads, dataVersion: rows.dataVersion };
  }

  /** A quote's inputs from memory, or undefined when they must be read (too old, another day, a SKU not polled yet). */
  serve(skus: readonly string[], fromDay: string): PromiseInputsOf | undefined {
    const now = performance.now();
    for (const sku of skus) this.asked.set(sku, now);
    const loads = this.loads;
    if (!loads || loads.fromDay !== fromDay || now - loads.sentAt > this.options.maxAgeMs) return undefined;
    const products = new Map<string, ProductFacts>();
    const supply: SupplyArrival[] = [];
    for (const sku of skus) {
      const facts = this.facts.get(sku);
      if (!facts) return undefined;
      if (facts.product) products.set(sku, facts.product);
      // Only a SKU's own arrivals and their order count (planBackorders), not the order across SKUs.
      supply.push(...facts.supply);
    }
    return { products, supply, loads: loads.loads, dataVersion: loads.dataVersion };
  }

  /** This process changed pick loads or held stock: quotes read fresh until the next poll. */
  invalidate(): void {
    this.generation++;
    this.loads = undefined;
  }
}
