import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { errorResponses } from '../../http/schemas.js';
import { getHold } from './get-hold.js';
import { releaseHold } from './release-hold.js';
import { CreateHoldInput, Hold } from './reservation.schemas.js';

const tags = ['reservations'];
const HoldParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'hold id' }) });
const responses = { ...errorResponses, 409: Type.Ref('ErrorResponse'), 422: Type.Ref('ErrorResponse') };

export const reservationsRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/reservations',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'Hold stock for a cart (all lines or none) until it expires, is released or becomes an order',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        body: CreateHoldInput,
        response: { 201: Hold, ...responses },
      },
    },
    async (req, reply) => {
      const result = await ctx.reservations.create(req.actor, req.body, req.headers['idempotency-key']);
      if (!result.ok) return sendResult(reply, result);
      return reply.code(result.value.statusCode).send(result.value.hold);
    },
  );

  app.get(
    '/reservations/:id',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Read a hold', params: HoldParams, response: { 200: Hold, ...responses } } },
    async (req, reply) => sendResult(reply, await getHold(ctx.db, req.actor, req.params.id)),
  );

  app.delete(
    '/reservations/:id',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Release a hold: its stock is available again', params: HoldParams, response: { 200: Hold, ...responses } } },
    async (req, reply) => sendResult(reply, await releaseHold(ctx.db, ctx.clock, req.actor, req.params.id)),
  );
};
