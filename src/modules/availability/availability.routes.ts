import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { errorResponses } from '../../http/schemas.js';
import type { OrdoContext } from '../../context.js';
import { AvailabilityQuerystring, AvailabilityResponse } from './availability.schemas.js';
import { getAvailability } from './get-availability.js';

export const availabilityRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/availability',
    {
      // Store keys too: it is how store staff find stock elsewhere in the network.
      config: { roles: ANY_ROLE },
      schema: {
        tags: ['availability'],
        summary: 'Network ATP per channel (pools applied) and the nearest locations with stock, from memory',
        description:
          'Served from an in-memory view that follows committed stock changes (about 25-100 ms behind). ' +
          'It informs; reservations and orders decide against the database.',
        querystring: AvailabilityQuerystring,
        response: { 200: AvailabilityResponse, ...errorResponses, 503: Type.Ref('ErrorResponse') },
      },
    },
    async (req, reply) => sendResult(reply, getAvailability(ctx.availability, req.query)),
  );
};
