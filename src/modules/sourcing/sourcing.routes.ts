import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import type { Role } from '../../domain/shared/actor.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { errorResponses } from '../../http/schemas.js';
import { assignRoutingPolicy, unassignRoutingPolicy } from './assign-routing-policy.js';
import { getOrderSourcing } from './get-order-sourcing.js';
import { getRoutingPolicy, listRoutingPolicies } from './get-routing-policies.js';
import { putRoutingPolicy } from './put-routing-policy.js';
import {
  AssignmentInput,
  AssignmentParams,
  AssignmentView,
  OrderSourcingView,
  PolicyDetailView,
  PolicyId,
  PolicyVersionView,
  PutRoutingPolicyInput,
} from './sourcing.schemas.js';

const tags = ['sourcing'];
const responses = { ...errorResponses, 422: Type.Ref('ErrorResponse') };
const POLICY_EDITORS: readonly Role[] = ['admin', 'ops'];

export const sourcingRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/orders/:id/sourcing',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'Why the order is served from where it is: every sourcing decision with its candidates, costs, alternatives, exclusions and a plain summary',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'order id, or its number' }) }),
        response: { 200: OrderSourcingView, ...responses },
      },
    },
    async (req, reply) => sendResult(reply, await getOrderSourcing(ctx.db, req.actor, req.params.id)),
  );

  app.get(
    '/routing-policies',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'Routing policies (latest versions) and their assignments to channel and delivery method',
        response: { 200: Type.Object({ items: Type.Array(PolicyVersionView), assignments: Type.Array(AssignmentView) }), ...errorResponses },
      },
    },
    async () => listRoutingPolicies(ctx.db),
  );

  app.get(
    '/routing-policies/:id',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'A routing policy: every version, its assignments, its audit trail', params: Type.Object({ id: PolicyId }), response: { 200: PolicyDetailView, ...responses } } },
    async (req, reply) => sendResult(reply, await getRoutingPolicy(ctx.db, req.params.id)),
  );

  app.put(
    '/routing-policies/:id',
    {
      config: { roles: POLICY_EDITORS },
      schema: {
        tags,
        summary: 'Create a routing policy or a new immutable version of it (the same content creates nothing); audited',
        params: Type.Object({ id: PolicyId }),
        body: PutRoutingPolicyInput,
        response: { 200: PolicyVersionView, 201: PolicyVersionView, ...responses },
      },
    },
    async (req, reply) => {
      const result = await putRoutingPolicy(ctx.db, ctx.clock, req.actor, req.params.id, req.body);
      if (!result.ok) return sendResult(reply, result);
      return reply.code(result.value.created ? 201 : 200).send(result.value.policy);
    },
  );

  app.put(
    '/routing-policy-assignments/:channelId/:method',
    {
      config: { roles: POLICY_EDITORS },
      schema: {
        tags,
        summary: "Source a channel's orders of one delivery method (ship, pickup, reserve_and_collect) under a policy: its latest version, or a pinned one",
        params: AssignmentParams,
        body: AssignmentInput,
        response: { 200: AssignmentView, ...responses },
      },
    },
    async (req, reply) => sendResult(reply, await assignRoutingPolicy(ctx.db, ctx.clock, req.actor, req.params.channelId, req.params.method, req.body)),
  );

  app.delete(
    '/routing-policy-assignments/:channelId/:method',
    {
      config: { roles: POLICY_EDITORS },
      schema: {
        tags,
        summary: 'Back to the default policy for this channel and delivery method',
        params: AssignmentParams,
        response: { 200: Type.Object({ channelId: Type.String(), deliveryMethod: Type.String(), removed: Type.Boolean() }), ...responses },
      },
    },
    async (req, reply) => sendResult(reply, await unassignRoutingPolicy(ctx.db, req.actor, req.params.channelId, req.params.method)),
  );
};
