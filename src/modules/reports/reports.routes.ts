import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OrdoContext } from '../../context.js';
import type { Role } from '../../domain/shared/actor.js';
import { sendResult } from '../../http/error-handler.js';
import { errorResponses } from '../../http/schemas.js';
import { getDashboard } from './get-dashboard.js';
import { DashboardQuery, DashboardView } from './reports.schemas.js';

const tags = ['reports'];
/** The control tower of the back office: every channel's figures, so not for store or integration keys. */
const REPORT_READERS: readonly Role[] = ['admin', 'ops', 'service'];

export const reportRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/reports/dashboard',
    {
      config: { roles: REPORT_READERS },
      schema: {
        tags,
        summary: "One day's orders by channel and status with their value, split and stockout rates, sourcing cost per order, hourly and 7-day series, and the orders late or at risk now",
        querystring: DashboardQuery,
        response: { 200: DashboardView, ...errorResponses },
      },
    },
    async (req, reply) => sendResult(reply, await getDashboard({ db: ctx.db, clock: ctx.clock }, req.query)),
  );
};
