import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { expectInventoryConsistent } from '../orders/fixtures.js';
import { mergedParcelAt, parcelNetworkSuite } from './merged-fixtures.js';

describe("cancelling the lead's order of a packed merged parcel on PostgreSQL, racing the cancel of another order in it", () => {
  const suite = parcelNetworkSuite();
  const { step } = suite;
  const cancel = (o: { id: string }) => suite.t.app.inject({ method: 'POST', url: `/v1/orders/${o.id}/cancel`, headers: suite.t.admin, payload: {} });

  const waitingOnLocks = async (n: number) => {
    for (let i = 0; i < 200; i++) {
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(suite.t.ctx.db);
      if (r.rows[0]!.n >= n) return;
      await new Promise((go) => setTimeout(go, 10));
    }
    throw new Error(`never ${n} transactions waiting on a lock`);
  };

  /** A packed parcel of A (shirt), B (shirt) and C (jeans), A's fulfillment leading. */
  const packedParcel = async () => {
    const merged = await mergedParcelAt(suite.t, suite.rivoli, [[['SHIRT', 1]], [['SHIRT', 1]], [['JEANS', 1]]]);
    expect((await step(merged.lead, 'pick', { lines: [{ sku: 'SHIRT', quantity: 2 }, { sku: 'JEANS', quantity: 1 }] })).statusCode).toBe(200);
    expect((await step(merged.lead, 'pack', { parcels: [{ weightGrams: 1200 }] })).statusCode).toBe(200);
    return merged;
  };

  /**
   * Another writer holds Rivoli's shirts while the commands come in one after the other (each waiting on
   * a lock before the next is sent: the first has locked its order by then); answers their responses.
   */
  async function behindTheShirts<R>(commands: ReadonlyArray<() => Promise<R>>): Promise<R[]> {
    let free!: () => void;
    let blocked!: () => void;
    const blocker = suite.t.ctx.db.transaction().execute(async (trx) => {
      await sql`SELECT 1 FROM stock_position WHERE sku = 'SHIRT' AND location_id = 'store-rivoli' FOR UPDATE`.execute(trx);
      blocked();
      await new Promise<void>((go) => (free = go));
    });
    await new Promise<void>((go) => (blocked = go));
    const sent: Array<Promise<R>> = [];
    for (const command of commands) {
      sent.push(command());
      await waitingOnLocks(sent.length);
    }
    free();
    await blocker;
    return Promise.all(sent);
  }

  it("the lead's order cancelled first, then the other's, both queued behind the shirts' stock row: no deadlock, both apply", async () => {
    const { members, orders } = await packedParcel();
    const [ra, rb] = await behindTheShirts([() => cancel(orders[0]!), () => cancel(orders[1]!)]);
    expect(ra!.statusCode, ra!.body).toBe(200);
    expect(rb!.statusCode, rb!.body).toBe(200);
    const c = await suite.t.ctx.db.selectFrom('fulfillment_order').select(['status', 'merged_into_id', 'parcels']).where('id', '=', members[1]!.id).executeTakeFirstOrThrow();
    // A's shirt left with A's fulfillment, then B's with B's (the carrier after A): 1,200 g less two 300 g shirts.
    expect(c).toEqual({ status: 'packed', merged_into_id: null, parcels: [{ weightGrams: 600 }] });
    await suite.t.ctx.availability.refresh();
    await expectInventoryConsistent(suite.t);
  });

  it("a merged order's cancel, then the lead's ship, queued behind the shirts' stock row: the cancel locks the lead's order first, both apply", async () => {
    const { lead, orders } = await packedParcel();
    const [cancelled, shipped] = await behindTheShirts([() => cancel(orders[1]!), () => step(lead, 'ship', { carrierId: 'post', service: 'standard' })]);
    expect(cancelled!.statusCode, cancelled!.body).toBe(200);
    expect(shipped!.statusCode, shipped!.body).toBe(200);
    // B's shirt came out of the parcel before it left: A's and C's units, 1,200 g less 300 g.
    expect(shipped!.json()).toMatchObject({ status: 'shipped', parcels: [{ weightGrams: 900 }] });
    expect(shipped!.json().lines.map((l: { sku: string }) => l.sku)).toEqual(['SHIRT', 'JEANS']);
    await suite.t.ctx.availability.refresh();
    await expectInventoryConsistent(suite.t);
  });

  // The second cancel sent a little later in some rounds, so that either may lock its order first.
  for (const [round, delayMs] of [[1, 0], [2, 30], [3, 100]] as const) {
    it(`round ${round}: both cancels apply (no deadlock: both release the same SKU's stock); the last order keeps the packed parcel alone and ships it`, async () => {
      const { lead, members, orders } = await packedParcel();
      const [bWork, cWork] = [members[0]!, members[1]!];

      const [a, b] = await Promise.all([cancel(orders[0]!), new Promise((go) => setTimeout(go, delayMs)).then(() => cancel(orders[1]!))]);
      expect(a.statusCode, a.body).toBe(200);
      expect(b.statusCode, b.body).toBe(200);

      const rows = await suite.t.ctx.db.selectFrom('fulfillment_order').select(['id', 'status', 'merged_into_id', 'parcels']).where('id', 'in', [lead.id, bWork.id, cWork.id]).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(lead.id)).toMatchObject({ status: 'cancelled' });
      expect(byId.get(bWork.id)).toMatchObject({ status: 'cancelled' });
      // In either order both shirts' weight came out of the parcel (1,200 g less two 300 g shirts).
      expect(byId.get(cWork.id)).toMatchObject({ status: 'packed', merged_into_id: null, parcels: [{ weightGrams: 600 }] });
      const shipped = await step(cWork, 'ship', { carrierId: 'post', service: 'standard' });
      expect(shipped.statusCode, shipped.body).toBe(200);
      expect(shipped.json().lines.map((l: { sku: string; quantity: number }) => `${l.sku}×${l.quantity}`)).toEqual(['JEANS×1']);
      const over = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stock_position WHERE reserved > on_hand OR reserved < 0`.execute(suite.t.ctx.db);
      expect(over.rows[0]!.n).toBe(0);
      await suite.t.ctx.availability.refresh();
      await expectInventoryConsistent(suite.t);
    });
  }
});
