import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { errorResponses } from '../../http/schemas.js';
import { CustomerQuery, CustomerView } from './customer.schemas.js';
import { findCustomers, getCustomer } from './get-customer.js';

const tags = ['customers'];

export const customerRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/customers',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'Find a customer by e-mail or phone, with orders from every channel and lifetime value',
        querystring: CustomerQuery,
        response: { 200: Type.Object({ items: Type.Array(CustomerView) }), ...errorResponses },
      },
    },
    async (req, reply) => sendResult(reply, await findCustomers(ctx.db, req.query)),
  );

  app.get(
    '/customers/:id',
    {
      config: { roles: ANY_ROLE },
      schema: { tags, summary: 'One customer across channels: contact, orders, lifetime value', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: CustomerView, ...errorResponses } },
    },
    async (req, reply) => sendResult(reply, await getCustomer(ctx.db, req.params.id)),
  );
};
