import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { errorResponses, LocationId, Sku, StringEnum } from '../../http/schemas.js';
import { cancelSupply } from './cancel-supply.js';
import { Position, SUPPLY_KINDS, SupplyInput, SupplyLine } from './inventory.schemas.js';
import { receiveSupply } from './receive-supply.js';
import { waitingOrders } from '../fulfillment/serve-backorders.js';
import { recordSupply } from './record-supply.js';
import { listSupply } from './supply.repository.js';

const tags = ['incoming supply'];
const SUPPLY_WRITERS = ['admin', 'integration', 'ops', 'store'] as const;
const errors = { ...errorResponses, 409: Type.Ref('ErrorResponse'), 422: Type.Ref('ErrorResponse') };
const LineId = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const supplyRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/supply',
    {
      config: { roles: ['admin', 'integration', 'ops'] },
      schema: { tags, summary: 'Record a purchase order or transfer on its way (upsert by kind, reference, sku, location)', body: SupplyInput, response: { 200: Type.Object({ lines: Type.Array(SupplyLine) }), ...errors } },
    },
    async (req, reply) => sendResult(reply, await recordSupply(ctx.db, ctx.clock, req.actor, req.body)),
  );

  app.get(
    '/supply',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'Incoming supply lines (first 5,000 by expected date)',
        querystring: Type.Object({
          kind: Type.Optional(StringEnum(SUPPLY_KINDS)),
          reference: Type.Optional(Type.String({ maxLength: 100 })),
          sku: Type.Optional(Sku),
          locationId: Type.Optional(LocationId),
          status: Type.Optional(StringEnum(['open', 'received', 'cancelled'] as const)),
        }),
        response: { 200: Type.Object({ items: Type.Array(SupplyLine) }) },
      },
    },
    async (req) => {
      const items = await listSupply(ctx.db, req.query);
      return { items: req.actor.role === 'store' ? items.filter((l) => req.actor.locationIds.includes(l.locationId)) : items };
    },
  );

  app.post(
    '/supply/:id/receive',
    {
      config: { roles: SUPPLY_WRITERS },
      schema: { tags, summary: 'The goods arrived: on hand grows by the line quantity', params: LineId, response: { 200: Type.Object({ line: SupplyLine, position: Position }), ...errors } },
    },
    async (req, reply) => sendResult(reply, await receiveSupply(ctx.db, ctx.clock, req.actor, req.params.id, waitingOrders((await ctx.promiseData.current()).sitesById))),
  );

  app.post(
    '/supply/:id/cancel',
    {
      config: { roles: SUPPLY_WRITERS },
      schema: { tags, summary: 'The supply will not come', params: LineId, response: { 200: SupplyLine, ...errors } },
    },
    async (req, reply) => sendResult(reply, await cancelSupply(ctx.db, ctx.clock, req.actor, req.params.id)),
  );
};
