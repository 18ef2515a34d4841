import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { errorResponses, Timestamp } from '../../http/schemas.js';
import { listConsumers } from './event-consumer.repository.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const ConsumerStatus = Type.Object({
  name: Type.String(),
  position: Type.Integer({ description: 'last event handled' }),
  lag: Type.Integer({ description: 'positioned events not handled yet' }),
  leaseOwner: Nullable(Type.String()),
  leaseUntil: Nullable(Timestamp),
  failures: Type.Integer({ description: 'consecutive failed batches' }),
  retryAt: Nullable(Timestamp),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Timestamp),
});

export const dispatchRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/event-consumers',
    {
      config: { roles: ['admin', 'ops', 'integration'] },
      schema: {
        tags: ['events'],
        summary: 'Outbox consumers (webhooks, NATS, notifications): cursor, lag, lease holder, last failure',
        response: { 200: Type.Object({ items: Type.Array(ConsumerStatus) }), ...errorResponses },
      },
    },
    async () => ({ items: await listConsumers(ctx.db) }),
  );
};
