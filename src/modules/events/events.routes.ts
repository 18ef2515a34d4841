import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import type { OrdoContext } from '../../context.js';
import { EventsPage, EventsQuerystring } from './events.schemas.js';
import { readEventLog } from './read-event-log.js';

export const eventsRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/events',
    {
      config: { roles: ['admin', 'integration', 'ops'] },
      schema: {
        tags: ['events'],
        summary: 'The event log after a cursor, in commit order (at-least-once; dedupe by eventId)',
        querystring: EventsQuerystring,
        response: { 200: EventsPage, ...errorResponses },
      },
    },
    async (req) => readEventLog(ctx.db, req.query),
  );
};
