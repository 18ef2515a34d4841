import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { canAccessLocation, type Actor } from '../../domain/shared/actor.js';
import { ANY_ROLE } from '../../http/auth.js';
import { errorBody, sendResult } from '../../http/error-handler.js';
import { decodeCursor, encodeCursor, Page, PageQuery } from '../../http/pagination.js';
import { errorResponses, LocationId, Sku } from '../../http/schemas.js';
import { checkInventory } from './check-inventory.js';
import { getAtpByDate } from './get-atp-by-date.js';
import { importSnapshot } from './import-snapshot.js';
import { AtpByDate, LedgerRow, MovementsInput, MovementsResult, Position, SetStockInput, SetStockResult, ShortfallReport, SnapshotInput, SnapshotQuery, SnapshotResult, StockHold } from './inventory.schemas.js';
import { recordMovements } from './record-movements.js';
import { safetyStockRoutes } from './safety-stock.routes.js';
import { setStockLevel } from './set-stock-level.js';
import { parseSnapshotCsv } from './snapshot-csv.js';
import { listHoldsOfSku, MAX_HOLDS } from './stock-holds.repository.js';
import { listLedger, listPositionsOfLocation, listPositionsOfSku, productExists } from './stock.repository.js';
import { supplyRoutes } from './supply.routes.js';

const tags = ['inventory'];
const FEED_ROLES = ['admin', 'integration', 'store'] as const;
const errors = { ...errorResponses, 409: Type.Ref('ErrorResponse'), 413: Type.Ref('ErrorResponse'), 415: Type.Ref('ErrorResponse'), 422: Type.Ref('ErrorResponse') };

const scopeOf = (actor: Actor) => (actor.role === 'store' ? actor.locationIds : undefined);
const outOfScope = (locationId: string) => errorBody('location_out_of_scope', `this key may not read location ${locationId}`);

export const inventoryRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  // A feed may have lowered on hand under reserved: once it committed, the shortfall resolver runs (in the background).
  const fed = <T extends { ok: boolean }>(result: T): T => {
    if (result.ok) ctx.shortfalls.wake();
    return result;
  };

  // Snapshots also come as CSV (`sku,onHand`), the format stock exports are usually in.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.put(
    '/inventory/:locationId/:sku',
    {
      config: { roles: FEED_ROLES },
      schema: {
        tags,
        summary: 'Absolute on hand of a position (+ its safety stock), ignored when older than the last one applied (asOf)',
        params: Type.Object({ locationId: LocationId, sku: Sku }),
        body: SetStockInput,
        response: { 200: SetStockResult, ...errors },
      },
    },
    async (req, reply) => sendResult(reply, fed(await setStockLevel(ctx.db, req.actor, req.params.locationId, req.params.sku, req.body))),
  );

  app.post(
    '/inventory/movements',
    {
      config: { roles: FEED_ROLES },
      schema: { tags, summary: 'A batch of stock deltas (≤ 10,000), each event id applied once', body: MovementsInput, response: { 200: MovementsResult, ...errors } },
    },
    async (req, reply) => sendResult(reply, fed(await recordMovements(ctx.db, ctx.clock, req.actor, req.body))),
  );

  app.post(
    '/inventory/snapshots',
    {
      config: { roles: FEED_ROLES },
      schema: {
        tags,
        summary: 'Full snapshot of one location (JSON, or text/csv with ?locationId=&asOf=), reconciled with open reservations',
        querystring: SnapshotQuery,
        body: { content: { 'application/json': { schema: SnapshotInput }, 'text/csv': { schema: Type.String() } } },
        response: { 200: SnapshotResult, ...errors },
      },
    },
    async (req, reply) => {
      if (typeof req.body !== 'string') return sendResult(reply, fed(await importSnapshot(ctx.db, req.actor, req.body as SnapshotInput)));
      const { locationId, asOf, source } = req.query;
      if (!locationId || !asOf) return reply.code(400).send(errorBody('validation_failed', 'a CSV snapshot needs ?locationId= and ?asOf= (date-time)'));
      const items = parseSnapshotCsv(req.body, locationId);
      if (!items.ok) return sendResult(reply, items);
      return sendResult(reply, fed(await importSnapshot(ctx.db, req.actor, { locationId, asOf, source, items: items.value })));
    },
  );

  app.get(
    '/inventory/locations/:locationId',
    {
      config: { roles: ANY_ROLE },
      schema: { tags, summary: 'Stock positions of a location, by SKU', params: Type.Object({ locationId: LocationId }), querystring: PageQuery, response: { 200: Page(Position), ...errors } },
    },
    async (req, reply) => {
      const { locationId } = req.params;
      if (!canAccessLocation(req.actor, locationId)) return reply.code(403).send(outOfScope(locationId));
      const limit = req.query.limit ?? 50;
      const items = await listPositionsOfLocation(ctx.db, locationId, decodeCursor<string>(req.query.cursor), limit + 1);
      const page = items.slice(0, limit);
      return { items: page, nextCursor: items.length > limit ? encodeCursor(page[page.length - 1]!.sku) : null };
    },
  );

  app.get(
    '/inventory/:sku',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'Positions of a SKU across locations (a store key sees its own)',
        params: Type.Object({ sku: Sku }),
        response: { 200: Type.Object({ sku: Type.String(), positions: Type.Array(Position) }), ...errors },
      },
    },
    async (req, reply) => {
      const { sku } = req.params;
      if (!(await productExists(ctx.db, sku))) return reply.code(404).send(errorBody('sku_not_found', `no product ${sku}`));
      return { sku, positions: await listPositionsOfSku(ctx.db, sku, scopeOf(req.actor)) };
    },
  );

  app.get(
    '/inventory/:sku/ledger',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'Stock history of a SKU, newest first',
        params: Type.Object({ sku: Sku }),
        querystring: Type.Intersect([PageQuery, Type.Object({ locationId: Type.Optional(LocationId) })]),
        response: { 200: Page(LedgerRow), ...errors },
      },
    },
    async (req, reply) => {
      const { locationId } = req.query;
      if (locationId && !canAccessLocation(req.actor, locationId)) return reply.code(403).send(outOfScope(locationId));
      const limit = req.query.limit ?? 50;
      const items = await listLedger(ctx.db, { sku: req.params.sku, locationId, locationIds: scopeOf(req.actor), beforeId: decodeCursor<number>(req.query.cursor), limit: limit + 1 });
      const page = items.slice(0, limit);
      return { items: page, nextCursor: items.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
    },
  );

  app.get(
    '/inventory/:sku/holds',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: `What reserved is made of: active cart and promise holds and units orders hold until they ship, newest first (first ${MAX_HOLDS})`,
        params: Type.Object({ sku: Sku }),
        querystring: Type.Object({ locationId: Type.Optional(LocationId) }),
        response: { 200: Type.Object({ sku: Type.String(), items: Type.Array(StockHold) }), ...errors },
      },
    },
    async (req, reply) => {
      const { sku } = req.params;
      const { locationId } = req.query;
      if (locationId && !canAccessLocation(req.actor, locationId)) return reply.code(403).send(outOfScope(locationId));
      if (!(await productExists(ctx.db, sku))) return reply.code(404).send(errorBody('sku_not_found', `no product ${sku}`));
      return { sku, items: await listHoldsOfSku(ctx.db, sku, { locationId, locationIds: scopeOf(req.actor) }) };
    },
  );

  app.get(
    '/inventory/:sku/atp-by-date',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'ATP today, then as open purchase orders and transfers arrive',
        params: Type.Object({ sku: Sku }),
        querystring: Type.Object({ locationId: Type.Optional(LocationId) }),
        response: { 200: AtpByDate, ...errors },
      },
    },
    async (req, reply) => {
      const { locationId } = req.query;
      if (locationId && !canAccessLocation(req.actor, locationId)) return reply.code(403).send(outOfScope(locationId));
      return sendResult(reply, await getAtpByDate(ctx.db, ctx.clock, req.actor, req.params.sku, locationId));
    },
  );

  app.post(
    '/inventory/check',
    {
      config: { roles: ['admin', 'ops'] },
      schema: {
        tags,
        summary: 'Invariant check: positions against their ledger and open reservations; `fix` repairs them',
        body: Type.Optional(Type.Object({ fix: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
      },
    },
    async (req) => checkInventory(ctx.db, req.actor, { fix: req.body?.fix ?? false }),
  );

  app.post(
    '/inventory/shortfalls/resolve',
    {
      config: { roles: ['admin', 'ops'] },
      schema: {
        tags,
        summary: 'Run the shortfall resolver now: positions a feed left with reserved > on hand give units up (holds, then orders not picked, re-sourced)',
        response: { 200: ShortfallReport, ...errors },
      },
    },
    async () => ctx.shortfalls.resolve(),
  );

  await app.register(safetyStockRoutes(ctx));
  await app.register(supplyRoutes(ctx));
};
