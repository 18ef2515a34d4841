import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { canAccessLocation } from '../../domain/shared/actor.js';
import { ANY_ROLE } from '../../http/auth.js';
import { errorBody, sendResult } from '../../http/error-handler.js';
import { decodeCursor, encodeCursor, Page, PageQuery } from '../../http/pagination.js';
import { errorResponses, LocationId, StringEnum } from '../../http/schemas.js';
import type { OrdoContext } from '../../context.js';
import { listAudit } from '../audit/audit.repository.js';
import { findLocation, listLocations } from './location.repository.js';
import { CAPABILITIES, Location, LocationInput, LOCATION_TYPES } from './location.schemas.js';
import { upsertLocation } from './upsert-location.js';

const tags = ['locations'];

export const networkRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.put(
    '/locations/:locationId',
    {
      config: { roles: ['admin', 'integration'] },
      schema: {
        tags,
        summary: 'Create or replace a location (store, warehouse, supplier, marketplace seller)',
        params: Type.Object({ locationId: LocationId }),
        body: LocationInput,
        response: { 200: Location, 201: Location, ...errorResponses },
      },
    },
    async (req, reply) => {
      const result = await upsertLocation(ctx.db, req.actor, req.params.locationId, req.body);
      if (!result.ok) return sendResult(reply, result);
      return reply.code(result.value.created ? 201 : 200).send(result.value.location);
    },
  );

  app.get(
    '/locations',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'List locations (a store key sees its own)',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            type: Type.Optional(StringEnum(LOCATION_TYPES)),
            capability: Type.Optional(StringEnum(CAPABILITIES)),
            active: Type.Optional(Type.Boolean()),
          }),
        ]),
        response: { 200: Page(Location), ...errorResponses },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const after = decodeCursor<string>(req.query.cursor);
      const items = await listLocations(ctx.db, {
        type: req.query.type,
        capability: req.query.capability,
        active: req.query.active,
        ids: req.actor.role === 'store' ? req.actor.locationIds : undefined,
        after,
        limit: limit + 1,
      });
      const page = items.slice(0, limit);
      return { items: page, nextCursor: items.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
    },
  );

  app.get(
    '/locations/:locationId',
    {
      config: { roles: ANY_ROLE },
      schema: { tags, summary: 'Read one location', params: Type.Object({ locationId: LocationId }), response: { 200: Location, ...errorResponses } },
    },
    async (req, reply) => {
      const { locationId } = req.params;
      if (!canAccessLocation(req.actor, locationId)) {
        return reply.code(403).send(errorBody('location_out_of_scope', `this key may not read location ${locationId}`));
      }
      const location = await findLocation(ctx.db, locationId);
      if (!location) return reply.code(404).send(errorBody('location_not_found', `no location ${locationId}`));
      return location;
    },
  );

  app.get(
    '/locations/:locationId/audit',
    {
      config: { roles: ['admin', 'ops'] },
      schema: { tags, summary: 'Who changed this location, and how', params: Type.Object({ locationId: LocationId }) },
    },
    async (req) => ({ items: await listAudit(ctx.db, 'location', req.params.locationId) }),
  );
};
