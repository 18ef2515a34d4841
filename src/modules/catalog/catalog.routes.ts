import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { ANY_ROLE } from '../../http/auth.js';
import { errorBody, sendResult } from '../../http/error-handler.js';
import { decodeCursor, encodeCursor, Page, PageQuery } from '../../http/pagination.js';
import { errorResponses, Sku } from '../../http/schemas.js';
import { listAudit } from '../audit/audit.repository.js';
import { importProducts, MAX_IMPORT_ROWS, type ImportSource } from './import-products.js';
import { isCsvUpload, parseCsvUpload } from './product-csv.parser.js';
import { findProduct, listProducts } from './product.repository.js';
import { ImportResult, Product, ProductInput } from './product.schemas.js';
import { upsertProduct } from './upsert-product.js';

const tags = ['products'];

const IMPORT_DESCRIPTION = `Creates or replaces up to ${MAX_IMPORT_ROWS} products in one transaction; each product replaces
the stored one like PUT /v1/products/{sku}. All or nothing: if any row is invalid (bad field, unknown
currency, SKU twice in the file) the answer is 400 \`import_invalid\` with \`details.errors\`
(\`{ row, field, message }\`, the first 100; row 1 is the first product) and nothing is written.

**application/json**: \`{ "products": [ ... ] }\` or a bare array; each item is the PUT body plus \`sku\`.

**text/csv** (UTF-8 with or without BOM, separated by \`,\`, \`;\` or tabs as the header line shows, quoted
fields allowed, header row, column names case-insensitive, empty cell = absent):
- \`sku\` (required), \`name\` (required), \`styleId\`
- \`size\`, \`colour\`, and \`attr.<name>\` for any other attribute
- \`price<CUR>\` for each ISO 4217 currency, in major units with a dot: \`priceEUR\` \`29.99\` is stored as 2999
  (a \`;\` file may write \`29,99\`; no sign, no thousands separator, at most the currency's decimals)
- \`weightGrams\` (whole number), \`backorderable\`, \`preorderable\`, \`active\` (true/false, 1/0, yes/no;
  defaults false, false, true)`;

const JsonImportBody = Type.Union([
  Type.Object({ products: Type.Array(Type.Unknown(), { description: 'products: sku + the PUT body' }) }, { additionalProperties: false }),
  Type.Array(Type.Unknown()),
]);

export const catalogRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  // Scoped to this plugin: only the product routes read CSV bodies.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, parseCsvUpload(body as string)));

  app.put(
    '/products/:sku',
    {
      config: { roles: ['admin', 'integration'] },
      schema: {
        tags,
        summary: 'Create or replace a product (SKU)',
        params: Type.Object({ sku: Sku }),
        body: ProductInput,
        response: { 200: Product, 201: Product, ...errorResponses },
      },
    },
    async (req, reply) => {
      const result = await upsertProduct(ctx.db, ctx.clock, req.actor, req.params.sku, req.body);
      if (!result.ok) return sendResult(reply, result);
      return reply.code(result.value.created ? 201 : 200).send(result.value.product);
    },
  );

  app.post(
    '/products/import',
    {
      config: { roles: ['admin', 'integration'] },
      schema: {
        tags,
        summary: 'Bulk create or replace products from JSON or CSV',
        description: IMPORT_DESCRIPTION,
        body: {
          content: {
            'application/json': { schema: JsonImportBody },
            'text/csv': { schema: Type.Unknown({ description: 'CSV file, columns described above' }) },
          },
        } as unknown as typeof JsonImportBody,
        response: { 200: ImportResult, ...errorResponses },
      },
    },
    async (req, reply) => {
      const body: unknown = req.body;
      const source: ImportSource = isCsvUpload(body)
        ? { format: 'csv', upload: body }
        : { format: 'json', rows: Array.isArray(body) ? body : (body as { products: unknown[] }).products };
      return sendResult(reply, await importProducts(ctx.db, ctx.clock, req.actor, source));
    },
  );

  app.get(
    '/products',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'List products by SKU, optionally of one style or matching a search',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            styleId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            active: Type.Optional(Type.Boolean()),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'part of the SKU or of the name, any case' })),
          }),
        ]),
        response: { 200: Page(Product), ...errorResponses },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const after = decodeCursor<string>(req.query.cursor);
      const items = await listProducts(ctx.db, {
        styleId: req.query.styleId,
        active: req.query.active,
        q: req.query.q,
        after: typeof after === 'string' ? after : undefined,
        limit: limit + 1,
      });
      const page = items.slice(0, limit);
      return { items: page, nextCursor: items.length > limit ? encodeCursor(page[page.length - 1]!.sku) : null };
    },
  );

  app.get(
    '/products/:sku',
    {
      config: { roles: ANY_ROLE },
      schema: { tags, summary: 'Read one product', params: Type.Object({ sku: Sku }), response: { 200: Product, ...errorResponses } },
    },
    async (req, reply) => {
      const product = await findProduct(ctx.db, req.params.sku);
      if (!product) return reply.code(404).send(errorBody('product_not_found', `no product ${req.params.sku}`));
      return product;
    },
  );

  app.get(
    '/products/:sku/audit',
    {
      config: { roles: ['admin', 'ops'] },
      schema: { tags, summary: 'Who changed this product, and how', params: Type.Object({ sku: Sku }) },
    },
    async (req) => ({ items: await listAudit(ctx.db, 'product', req.params.sku) }),
  );
};
