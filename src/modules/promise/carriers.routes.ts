import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { errorResponses } from '../../http/schemas.js';
import { CarrierId, CarrierInput, CarrierView, DeliveriesInput, DeliveriesOutcome } from './carrier.schemas.js';
import { findCarrier, listCarriers } from './promise.repository.js';
import { putCarrier } from './put-carrier.js';
import { recordDeliveries } from './record-deliveries.js';

const tags = ['carriers'];
const Params = Type.Object({ carrierId: CarrierId });

export const carrierRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.put(
    '/carriers/:carrierId',
    {
      config: { roles: ['admin', 'ops'] },
      schema: {
        tags,
        summary: 'Create or replace a carrier with its services: lanes and transit distributions, rates, pick-up and delivery days, cut-off',
        params: Params,
        body: CarrierInput,
        response: { 200: CarrierView, 201: CarrierView, ...errorResponses },
      },
    },
    async (req, reply) => {
      const result = await putCarrier(ctx.db, req.actor, req.params.carrierId, req.body);
      if (!result.ok) return sendResult(reply, result);
      return reply.code(result.value.created ? 201 : 200).send(result.value.carrier);
    },
  );

  app.get(
    '/carriers',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'List carriers', response: { 200: Type.Object({ items: Type.Array(CarrierView) }), ...errorResponses } } },
    async () => ({ items: await listCarriers(ctx.db) }),
  );

  app.get(
    '/carriers/:carrierId',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'One carrier', params: Params, response: { 200: CarrierView, ...errorResponses } } },
    async (req, reply) => {
      const carrier = await findCarrier(ctx.db, req.params.carrierId);
      if (!carrier) return reply.code(404).send({ error: { code: 'carrier_not_found', message: `no carrier ${req.params.carrierId}` } });
      return carrier;
    },
  );

  app.post(
    '/carriers/:carrierId/deliveries',
    {
      config: { roles: ['admin', 'integration', 'ops'] },
      schema: {
        tags,
        summary: 'Record actual deliveries (departed, delivered): the transit distributions learn from them; a shipment counts once',
        params: Params,
        body: DeliveriesInput,
        response: { 200: DeliveriesOutcome, ...errorResponses, 422: Type.Ref('ErrorResponse') },
      },
    },
    async (req, reply) => sendResult(reply, await recordDeliveries(ctx.db, req.actor, req.params.carrierId, req.body)),
  );
};
