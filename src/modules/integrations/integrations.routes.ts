import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { errorBody, sendResult } from '../../http/error-handler.js';
import { errorResponses } from '../../http/schemas.js';
import { SnapshotResult } from '../inventory/inventory.schemas.js';
import { OrderView } from '../orders/order.schemas.js';
import type { OrderDeps } from '../orders/place-order.js';
import { importShopifyOrder } from './import-shopify-order.js';
import { importStockFile } from './import-stock-file.js';
import { asShopifyOrder, ShopifyImportQuery, ShopifyOrderSchema } from './shopify.schemas.js';

const tags = ['integrations'];
const CONNECTOR_ROLES = ['admin', 'integration'] as const;
const errors = { ...errorResponses, 409: Type.Ref('ErrorResponse'), 415: Type.Ref('ErrorResponse'), 422: Type.Ref('ErrorResponse') };

const SHOPIFY_DESCRIPTION = `Takes Shopify's order JSON (REST Admin API order, or the orders/create webhook body) and places
it as an Ordo order of \`channel\`: SKUs, prices, discount allocations, shipping lines, shipping address
(none plus a shipping line naming an Ordo pickup store by id or name: a pickup), customer and locale.
Idempotent by the Shopify id: a second import answers 200 with the same order and writes nothing.
Payment: the \`manual\` provider under the gateway's name, the total authorised, and captured when
\`financial_status\` is \`paid\`. An order that cannot be mapped (no SKU, unknown SKU, unsupported currency,
prices without tax, totals that do not add up...) is 422 \`shopify_order_unmappable\` with every problem in
\`details.problems\`, and nothing is written.`;

const STOCK_DESCRIPTION = `A stock export covering several locations, as a PIM/ERP writes it: UTF-8 (BOM allowed), separated
by \`,\`, \`;\` or tabs, quoted fields, quantities \`12\`, \`12,00\` or \`12.0\`. Columns are found by name
(case, accents and punctuation ignored): SKU \`sku|reference|ref\`, quantity \`onHand|qty|quantity|quantité|qte|stock\`,
location \`location|locationId|store|site|warehouse|magasin|depot\`; other columns (EAN, label) are ignored;
\`?columns=sku:Code article,onHand:Qté dispo,locationId:Magasin\` names others. Each location in the file
gets a full snapshot (SKUs of it absent from the file go to 0), as POST /v1/inventory/snapshots does.`;

export const integrationRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  const deps: OrderDeps = { db: ctx.db, clock: ctx.clock, availability: ctx.availability, data: ctx.promiseData, payments: ctx.payments };
  // Scoped to this plugin: the stock file route reads the CSV text itself.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post(
    '/integrations/shopify/orders',
    {
      config: { roles: CONNECTOR_ROLES },
      schema: {
        tags,
        summary: 'Import a Shopify order (idempotent by its id)',
        description: SHOPIFY_DESCRIPTION,
        querystring: ShopifyImportQuery,
        body: ShopifyOrderSchema,
        response: { 200: OrderView, 201: OrderView, ...errors, 402: Type.Ref('ErrorResponse') },
      },
    },
    async (req, reply) => {
      const result = await importShopifyOrder(deps, req.actor, req.query.channel, asShopifyOrder(req.body));
      if (!result.ok) return sendResult(reply, result);
      return reply.code(result.value.statusCode).send(result.value.body);
    },
  );

  app.post(
    '/integrations/erp/stock',
    {
      config: { roles: CONNECTOR_ROLES },
      schema: {
        tags,
        summary: 'Import a multi-location stock file (CSV) from a PIM/ERP',
        description: STOCK_DESCRIPTION,
        querystring: Type.Object({
          asOf: Type.String({ format: 'date-time', description: 'when the export was taken' }),
          source: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'feed name, kept in the ledger' })),
          columns: Type.Optional(Type.String({ maxLength: 1_000 })),
        }),
        response: { 200: Type.Object({ asOf: Type.String(), received: Type.Integer(), locations: Type.Array(SnapshotResult) }), ...errors },
      },
    },
    async (req, reply) => {
      if (typeof req.body !== 'string') return reply.code(415).send(errorBody('unsupported_media_type', 'send the stock file as text/csv'));
      const { asOf, source, columns } = req.query;
      const result = await importStockFile(ctx.db, req.actor, { text: req.body, asOf, ...(source ? { source } : {}), ...(columns ? { columns } : {}) });
      // Locations reconciled before a failure are committed too: the resolver looks at whatever is oversold.
      ctx.shortfalls.wake();
      return sendResult(reply, result);
    },
  );
};
