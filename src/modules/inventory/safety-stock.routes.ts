import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { decodeCursor, encodeCursor, Page, PageQuery } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { deleteSafetyStockRule } from './delete-safety-stock-rule.js';
import { SafetyRule, SafetyRuleInput, SafetyScopeInput } from './inventory.schemas.js';
import { putSafetyStockRule } from './put-safety-stock-rule.js';
import { listSafetyRules } from './safety-rule.repository.js';

const tags = ['safety stock'];
const RULE_WRITERS = ['admin', 'ops', 'integration'] as const;
const Changed = Type.Object({ rule: SafetyRule, positionsChanged: Type.Integer() });
const errors = { ...errorResponses, 422: Type.Ref('ErrorResponse') };

export const safetyStockRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.put(
    '/safety-stock-rules',
    {
      config: { roles: RULE_WRITERS },
      schema: { tags, summary: 'Set the safety stock of a scope: { sku, locationId } > { locationId } > { locationType }', body: SafetyRuleInput, response: { 200: Changed, ...errors } },
    },
    async (req, reply) => sendResult(reply, await putSafetyStockRule(ctx.db, req.actor, req.body)),
  );

  app.delete(
    '/safety-stock-rules',
    {
      config: { roles: RULE_WRITERS },
      schema: { tags, summary: 'Remove the rule of a scope (given in the query string)', querystring: SafetyScopeInput, response: { 200: Changed, ...errors } },
    },
    async (req, reply) => sendResult(reply, await deleteSafetyStockRule(ctx.db, req.actor, req.query)),
  );

  app.get(
    '/safety-stock-rules',
    {
      config: { roles: ANY_ROLE },
      schema: { tags, summary: 'List safety stock rules', querystring: Type.Object({ ...PageQuery.properties, ...SafetyScopeInput.properties }), response: { 200: Page(SafetyRule), ...errors } },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const items = await listSafetyRules(ctx.db, { sku: req.query.sku, locationId: req.query.locationId, locationType: req.query.locationType, afterId: decodeCursor<number>(req.query.cursor), limit: limit + 1 });
      const page = items.slice(0, limit);
      return { items: page, nextCursor: items.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
    },
  );
};
