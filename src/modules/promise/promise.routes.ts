import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { errorResponses } from '../../http/schemas.js';
import { makePromise } from './make-promise.js';
import { endPromise, holdView } from './promise-holds.js';
import { findPromiseHold } from './promise.repository.js';
import { PromiseHoldView, PromiseRequest, PromiseResponse } from './promise.schemas.js';
import { PromiseSettings, PromiseSettingsPatch } from './promise-settings.schemas.js';
import { getPromiseSettings, updatePromiseSettings } from './promise-settings.js';

const tags = ['promise'];
const TokenParams = Type.Object({ token: Type.String({ format: 'uuid' }) });
const responses = { ...errorResponses, 409: Type.Ref('ErrorResponse'), 422: Type.Ref('ErrorResponse'), 503: Type.Ref('ErrorResponse') };

export const promiseRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  const deps = { db: ctx.db, clock: ctx.clock, availability: ctx.availability, data: ctx.promiseData };

  app.post(
    '/promise',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'Delivery options and dates for a cart: home delivery per service, click & collect, reserve & collect; optionally hold one',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        body: PromiseRequest,
        response: { 200: PromiseResponse, 201: PromiseResponse, ...responses },
      },
    },
    async (req, reply) => {
      const result = await makePromise(deps, req.actor, req.body, req.headers['idempotency-key']);
      if (!result.ok) return sendResult(reply, result);
      return reply.code(result.value.statusCode).send(result.value.body);
    },
  );

  app.get(
    '/promise/holds/:token',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'A held promise: its option, status and expiry', params: TokenParams, response: { 200: PromiseHoldView, ...responses } } },
    async (req, reply) => {
      const row = await findPromiseHold(ctx.db, req.params.token);
      if (!row) return reply.code(404).send({ error: { code: 'promise_hold_not_found', message: `no promise hold ${req.params.token}` } });
      return holdView(row);
    },
  );

  app.delete(
    '/promise/holds/:token',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Release a held promise: its stock and pick capacity go back', params: TokenParams, response: { 200: PromiseHoldView, ...responses } } },
    async (req, reply) => {
      const released = await endPromise(ctx.db, req.params.token, 'released', ctx.clock.now(), req.actor.id);
      // Its stock and pick load went back: the next quotes of this process see them.
      if (released.ok) ctx.promiseData.quotes.invalidate();
      return sendResult(reply, released);
    },
  );

  app.get(
    '/promise/settings',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Promise settings: confidence target, pickup radius, defaults per location type', response: { 200: PromiseSettings, ...errorResponses } } },
    async () => getPromiseSettings(ctx.db),
  );

  app.patch(
    '/promise/settings',
    {
      config: { roles: ['admin', 'ops'] },
      schema: { tags, summary: 'Change promise settings (audited)', body: PromiseSettingsPatch, response: { 200: PromiseSettings, ...errorResponses } },
    },
    async (req, reply) => sendResult(reply, await updatePromiseSettings(ctx.db, req.actor, req.body)),
  );
};
