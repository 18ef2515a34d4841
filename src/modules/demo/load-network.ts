import type { Db } from '../../db/database.js';
import { appendEvents } from '../../db/outbox.js';
import type { Actor } from '../../domain/shared/actor.js';
import { writeAudit } from '../audit/audit.repository.js';
import { appendLedger } from '../inventory/ledger.repository.js';
import { insertChannels, insertLocations, insertProducts, insertStockPositions, isDatabaseEmpty } from './demo.repository.js';
import type { NetworkData } from './network-data.js';

export interface NetworkCounts {
  locations: number;
  products: number;
  channels: number;
  positions: number;
  units: number;
}

export class DatabaseNotEmptyError extends Error {
  constructor() {
    super('the database already holds locations: a network is only loaded into an empty database');
  }
}

/**
 * Writes a whole network (demo or benchmark) in one transaction: master data, stock positions with
 * resolved safety stock, one `set` ledger row per stocked position (so replaying the ledger gives the
 * positions back), an audit row and a single `demo.loaded` event. Per-position `stock.changed` events are
 * deliberately not emitted: this is the initial state, not a change consumers must react to one by one.
 */
export async function loadNetwork(db: Db, actor: Actor, data: NetworkData, label: string): Promise<NetworkCounts> {
  return db.transaction().execute(async (tx) => {
    if (!(await isDatabaseEmpty(tx))) throw new DatabaseNotEmptyError();
    await insertLocations(tx, data.locations);
    await insertProducts(tx, data.products);
    await insertChannels(tx, data.channels);
    await insertStockPositions(tx, data.stock);
    const stocked = data.stock.filter((s) => s.onHand > 0);
    await appendLedger(
      tx,
      stocked.map((s) => ({
        sku: s.sku,
        locationId: s.locationId,
        cause: 'set',
        onHandBefore: 0,
        onHandAfter: s.onHand,
        reservedBefore: 0,
        reservedAfter: 0,
        source: label,
        reference: 'initial stock',
        actor: actor.id,
      })),
    );
    const counts: NetworkCounts = {
      locations: data.locations.length,
      products: data.products.length,
      channels: data.channels.length,
      positions: data.stock.length,
      units: stocked.reduce((sum, s) => sum + s.onHand, 0),
    };
    await writeAudit(tx, actor, 'network.loaded', 'network', label, null, counts);
    await appendEvents(tx, [{ type: 'demo.loaded', aggregateType: 'network', aggregateId: label, payload: { network: label, ...counts, actor: actor.id } }]);
    return counts;
  });
}
