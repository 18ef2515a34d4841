import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import type { Role } from '../../domain/shared/actor.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { Page, PageQuery } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { acceptFulfillment } from './accept-fulfillment.js';
import { pickFulfillment } from './pick-fulfillment.js';
import { rejectFulfillment } from './reject-fulfillment.js';
import { forceReroute } from './force-reroute.js';
import { ForceRerouteInput, ForceRerouteView } from './fulfillment.schemas.js';
import { RejectInput } from './fulfillment.schemas.js';
import { collectFulfillment } from './collect-fulfillment.js';
import { readyForPickup } from './ready-for-pickup.js';
import { receiveTransfer } from './receive-transfer.js';
import { CollectInput, ReadyForPickupInput, ReceiveInput } from './fulfillment.schemas.js';
import { sendFailure } from '../../http/error-handler.js';
import { carrierAdapterRegistry } from './carrier-adapter.js';
import { deliverFulfillment } from './deliver-fulfillment.js';
import { getShippingLabel } from './get-shipping-label.js';
import { packFulfillment } from './pack-fulfillment.js';
import { pdfLabelAdapter } from './pdf-label-adapter.js';
import { shipFulfillment } from './ship-fulfillment.js';
import { DeliverInput, PackInput, ShipInput } from './fulfillment.schemas.js';
import type { FulfillmentDeps } from './fulfillment-step.js';
import { getFulfillment, searchFulfillments } from './get-fulfillment.js';
import { getFulfillmentSettings, updateFulfillmentSettings } from './fulfillment-settings.js';
import { FulfillmentSettings, FulfillmentSettingsPatch } from './fulfillment-settings.schemas.js';
import { AcceptInput, FulfillmentListQuery, FulfillmentParams, FulfillmentView, PickInput } from './fulfillment.schemas.js';

const tags = ['fulfillment'];
const responses = { ...errorResponses, 409: Type.Ref('ErrorResponse'), 422: Type.Ref('ErrorResponse') };
const IdempotencyKey = Type.String({ minLength: 1, maxLength: 200 });
const stepHeaders = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) });
/** Stores, warehouses (integration keys of a WMS), drop-ship suppliers and ops act on fulfillments. */
export const FULFILLERS: readonly Role[] = ['admin', 'integration', 'ops', 'store'];

/** A step's route: POST /fulfillments/:id/<step>, the body (possibly absent) checked by `body`; `answer` says what the 200 holds when it is not simply the fulfillment after the step. */
export function stepRoute<B extends ReturnType<typeof Type.Object>>(summary: string, body: B, answer = 'the fulfillment as it is after the step') {
  return {
    config: { roles: FULFILLERS },
    // No body at all is the same as an empty one (accept, ready-for-pickup...).
    preValidation: async (req: { body: unknown }) => {
      req.body ??= {};
    },
    schema: { tags, summary, params: FulfillmentParams, headers: stepHeaders, body, response: { 200: { ...FulfillmentView, description: answer }, ...responses } },
  };
}

export const fulfillmentRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  const deps: FulfillmentDeps = { db: ctx.db, clock: ctx.clock, availability: ctx.availability, data: ctx.promiseData, payments: ctx.payments };
  const now = () => ctx.clock.now().getTime();

  app.get(
    '/fulfillments',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: "A location's queue of fulfillment orders, most urgent first (by deadline); a store key sees only its locations",
        querystring: Type.Intersect([PageQuery, FulfillmentListQuery]),
        response: { 200: Page(FulfillmentView), ...errorResponses },
      },
    },
    async (req, reply) => sendResult(reply, await searchFulfillments(ctx.db, req.actor, req.query, now())),
  );

  app.get(
    '/fulfillments/:id',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'A fulfillment order with its lines, deadline, parcels and shipment', params: FulfillmentParams, response: { 200: FulfillmentView, ...responses } } },
    async (req, reply) => sendResult(reply, await getFulfillment(ctx.db, req.actor, req.params.id, now())),
  );

  app.post('/fulfillments/:id/accept', stepRoute('Accept the fulfillment: the location starts preparing it', AcceptInput), async (req, reply) =>
    sendResult(reply, await acceptFulfillment(deps, req.actor, req.params.id, req.body as AcceptInput, req.headers['idempotency-key'])),
  );

  const pickAnswer =
    "the fulfillment as it is after the pick; for a merged parcel's lead that found none of its own units (it ends cancelled) while other orders' units of the parcel were found: the fulfillment that now carries the parcel (another id: the oldest order's still in it, leading the others), which the store goes on with";
  app.post('/fulfillments/:id/pick', stepRoute('Record what was found on the shelves, per SKU (0 when none): a short pick re-routes only the missing units', PickInput, pickAnswer), async (req, reply) =>
    sendResult(reply, await pickFulfillment(deps, req.actor, req.params.id, req.body as PickInput, req.headers['idempotency-key'])),
  );

  app.post('/fulfillments/:id/receive', stepRoute('The pickup store receives a shipped transfer: the units enter its stock, held for the order and already picked', ReceiveInput), async (req, reply) =>
    sendResult(reply, await receiveTransfer(deps, req.actor, req.params.id, req.body as ReceiveInput, req.headers['idempotency-key'])),
  );

  app.post('/fulfillments/:id/ready-for-pickup', stepRoute('The prepared pickup is on the shelf: a pickup code is sent to the customer and the hold starts', ReadyForPickupInput), async (req, reply) =>
    sendResult(reply, await readyForPickup(deps, req.actor, req.params.id, req.body as ReadyForPickupInput, req.headers['idempotency-key'])),
  );

  const collectRoute = stepRoute('Hand the order over against its pickup code (attempts limited); reserve & collect takes the payment here', CollectInput);
  app.post(
    '/fulfillments/:id/collect',
    { ...collectRoute, schema: { ...collectRoute.schema, response: { ...collectRoute.schema.response, 402: Type.Ref('ErrorResponse'), 423: Type.Ref('ErrorResponse') } } },
    async (req, reply) => sendResult(reply, await collectFulfillment(deps, req.actor, req.params.id, req.body as CollectInput, req.headers['idempotency-key'])),
  );

  // Carriers without an adapter of their own get the built-in PDF label.
  const carriers = carrierAdapterRegistry([], pdfLabelAdapter);

  app.post('/fulfillments/:id/pack', stepRoute('Pack the picked units: parcels with their weights (ship and transfer only)', PackInput), async (req, reply) =>
    sendResult(reply, await packFulfillment(deps, req.actor, req.params.id, req.body as PackInput, req.headers['idempotency-key'])),
  );

  app.post(
    '/fulfillments/:id/ship',
    stepRoute('Hand the parcels to the carrier: label printed (unless a tracking number is given), stock leaves, payment captured, customer told', ShipInput),
    async (req, reply) => sendResult(reply, await shipFulfillment(deps, carriers, req.actor, req.params.id, req.body as ShipInput, req.headers['idempotency-key'])),
  );

  app.post('/fulfillments/:id/deliver', stepRoute('Carrier confirmation that the parcels reached the customer (deliveredAt defaults to now)', DeliverInput), async (req, reply) =>
    sendResult(reply, await deliverFulfillment(deps, req.actor, req.params.id, req.body as DeliverInput, req.headers['idempotency-key'])),
  );

  app.get(
    '/fulfillments/:id/label',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'The shipping label Ordo printed for the fulfillment (application/pdf, one A6 page per parcel)',
        params: FulfillmentParams,
        response: { 200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...responses },
      },
    },
    async (req, reply) => {
      const label = await getShippingLabel(ctx.db, req.actor, req.params.id);
      if (!label.ok) return sendFailure(reply, label);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${label.value.fileName}"`).send(Buffer.from(label.value.pdf));
    },
  );

  app.post('/fulfillments/:id/reject', stepRoute('Reject the fulfillment (pending or accepted) with a reason: its units are re-routed to other locations', RejectInput), async (req, reply) =>
    sendResult(reply, await rejectFulfillment(deps, req.actor, req.params.id, req.body as RejectInput, req.headers['idempotency-key'])),
  );

  app.post(
    '/fulfillments/:id/reroute',
    {
      config: { roles: ['admin', 'ops'] },
      schema: {
        tags,
        summary: "Ops force a re-route, with a reason: the fulfillment's units not yet shipped go back to stock and are sourced again (away from this location unless excludeLocation is false)",
        params: FulfillmentParams,
        headers: stepHeaders,
        body: ForceRerouteInput,
        response: { 200: ForceRerouteView, ...responses },
      },
    },
    async (req, reply) => sendResult(reply, await forceReroute(deps, req.actor, req.params.id, req.body, req.headers['idempotency-key'])),
  );

  app.get(
    '/fulfillment-settings',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Store operations settings: acceptance time-out, pickup hold and reminders, pickup code attempts', response: { 200: FulfillmentSettings, ...errorResponses } } },
    async () => getFulfillmentSettings(ctx.db),
  );

  app.patch(
    '/fulfillment-settings',
    { config: { roles: ['admin', 'ops'] }, schema: { tags, summary: 'Change store operations settings (audited)', body: FulfillmentSettingsPatch, response: { 200: FulfillmentSettings, ...responses } } },
    async (req, reply) => sendResult(reply, await updateFulfillmentSettings(ctx.db, req.actor, req.body, ctx.clock.now())),
  );
};
