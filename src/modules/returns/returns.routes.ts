import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import type { Role } from '../../domain/shared/actor.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendFailure, sendResult } from '../../http/error-handler.js';
import { Page, PageQuery } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { carrierAdapterRegistry } from '../fulfillment/carrier-adapter.js';
import { pdfLabelAdapter } from '../fulfillment/pdf-label-adapter.js';
import { cancelReturn } from './cancel-return.js';
import { getReturn, getReturnLabel, searchReturns } from './get-return.js';
import { getReturnable } from './get-returnable.js';
import { receiveReturn } from './receive-return.js';
import { refundReturn } from './refund-return.js';
import { requestReturn, type ReturnDeps } from './request-return.js';
import { getReturnPolicies, putReturnPolicy } from './return-policies.js';
import {
  CancelReturnInput,
  PutReturnPolicyInput,
  ReceiveReturnInput,
  RefundReturnInput,
  RequestReturnInput,
  ReturnableQuery,
  ReturnableView,
  ReturnListQuery,
  ReturnParams,
  ReturnPoliciesView,
  ReturnPolicyView,
  ReturnView,
} from './returns.schemas.js';

const tags = ['returns'];
const responses = { ...errorResponses, 409: Type.Ref('ErrorResponse'), 422: Type.Ref('ErrorResponse') };
const headers = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) });
/** Stores at the counter, warehouses (WMS integration keys), customer service and ops handle returns. */
const RETURN_HANDLERS: readonly Role[] = ['admin', 'integration', 'ops', 'service', 'store'];
/** No body at all is the same as an empty one (refund, cancel). */
const emptyBody = async (req: { body: unknown }) => {
  req.body ??= {};
};

export const returnRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  // Carriers without an adapter of their own get the built-in PDF label, as for shipping labels.
  const deps: ReturnDeps = { db: ctx.db, clock: ctx.clock, availability: ctx.availability, data: ctx.promiseData, payments: ctx.payments, labels: carrierAdapterRegistry([], pdfLabelAdapter) };

  app.post(
    '/returns',
    {
      config: { roles: RETURN_HANDLERS },
      schema: {
        tags,
        summary: 'Return units of any order, anywhere: to a store, a warehouse, or by mail with a label; refund, exchange (replacement reserved now) or store credit',
        headers,
        body: RequestReturnInput,
        response: { 201: ReturnView, ...responses, 502: Type.Ref('ErrorResponse') },
      },
    },
    async (req, reply) => sendResult(reply, await requestReturn(deps, req.actor, req.body, req.headers['idempotency-key']), 201),
  );

  app.get(
    '/returns',
    {
      config: { roles: ANY_ROLE },
      schema: { tags, summary: 'Returns by order, status or location, newest first (a store key sees its locations)', querystring: Type.Intersect([PageQuery, ReturnListQuery]), response: { 200: Page(ReturnView), ...errorResponses } },
    },
    async (req) => searchReturns(ctx.db, req.actor, req.query),
  );

  app.get(
    '/returns/:id',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'A return with its lines, conditions, label and money', params: ReturnParams, response: { 200: ReturnView, ...responses } } },
    async (req, reply) => sendResult(reply, await getReturn(ctx.db, req.actor, req.params.id)),
  );

  app.get(
    '/orders/:id/returnable',
    {
      config: { roles: RETURN_HANDLERS },
      schema: {
        tags,
        summary: "What each line of an order may still return now (a store reads any order with its customer's e-mail)",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'order id, or its number (ORD-2026-000123)' }) }),
        querystring: ReturnableQuery,
        response: { 200: ReturnableView, ...responses },
      },
    },
    async (req, reply) => sendResult(reply, await getReturnable(ctx.db, req.actor, req.params.id, req.query.email, ctx.clock.now())),
  );

  app.post(
    '/returns/:id/receive',
    {
      config: { roles: RETURN_HANDLERS },
      schema: {
        tags,
        summary: 'Count the units received by condition: resellable ones join on hand at once, damaged ones go to the damaged bucket; settled at once unless the policy waits',
        params: ReturnParams,
        headers,
        body: ReceiveReturnInput,
        response: { 200: ReturnView, ...responses, 402: Type.Ref('ErrorResponse') },
      },
    },
    async (req, reply) => sendResult(reply, await receiveReturn(deps, req.actor, req.params.id, req.body, req.headers['idempotency-key'])),
  );

  app.post(
    '/returns/:id/refund',
    {
      config: { roles: RETURN_HANDLERS },
      preValidation: emptyBody,
      schema: { tags, summary: 'Settle a received return (refund, store credit or exchange difference), e.g. at the counter', params: ReturnParams, headers, body: RefundReturnInput, response: { 200: ReturnView, ...responses, 402: Type.Ref('ErrorResponse') } },
    },
    async (req, reply) => sendResult(reply, await refundReturn(deps, req.actor, req.params.id, req.body, req.headers['idempotency-key'])),
  );

  app.post(
    '/returns/:id/cancel',
    {
      config: { roles: RETURN_HANDLERS },
      preValidation: emptyBody,
      schema: { tags, summary: "Cancel a requested return (and its exchange's replacement order, unless already being fulfilled)", params: ReturnParams, headers, body: CancelReturnInput, response: { 200: ReturnView, ...responses } },
    },
    async (req, reply) => sendResult(reply, await cancelReturn(deps, req.actor, req.params.id, req.body, req.headers['idempotency-key'])),
  );

  app.get(
    '/returns/:id/label',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'The return label of a return by mail (application/pdf)',
        params: ReturnParams,
        response: { 200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...responses },
      },
    },
    async (req, reply) => {
      const label = await getReturnLabel(ctx.db, req.actor, req.params.id);
      if (!label.ok) return sendFailure(reply, label);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${label.value.fileName}"`).send(Buffer.from(label.value.pdf));
    },
  );

  app.get(
    '/return-policies',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Return policies per channel and country, and the built-in defaults', response: { 200: ReturnPoliciesView, ...errorResponses } } },
    async () => getReturnPolicies(ctx.db),
  );

  app.put(
    '/return-policies',
    {
      config: { roles: ['admin', 'ops'] },
      schema: { tags, summary: 'Set the return policy of a channel, a country, both, or the default (audited)', body: PutReturnPolicyInput, response: { 200: ReturnPolicyView, ...responses } },
    },
    async (req, reply) => sendResult(reply, await putReturnPolicy(ctx.db, req.actor, req.body, ctx.clock.now())),
  );
};
