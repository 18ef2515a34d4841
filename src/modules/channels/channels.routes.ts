import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { ANY_ROLE } from '../../http/auth.js';
import { errorBody, sendResult } from '../../http/error-handler.js';
import { decodeCursor, encodeCursor, Page, PageQuery } from '../../http/pagination.js';
import { ChannelId, errorResponses } from '../../http/schemas.js';
import { listAudit } from '../audit/audit.repository.js';
import { findChannel, listChannels } from './channel.repository.js';
import { Channel, ChannelInput } from './channel.schemas.js';
import { upsertChannel } from './upsert-channel.js';

const tags = ['channels'];

export const channelRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.put(
    '/channels/:channelId',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: 'Create or replace a sales channel and its stock pool rules',
        description:
          'Ids: `web`, `app`, `pos`, `callcenter`, `social`, or `<type>:<name>` (a marketplace is always `marketplace:<name>`). ' +
          'Unknown eligible locations or protected channels answer 422 with the missing ids.',
        params: Type.Object({ channelId: ChannelId }),
        body: ChannelInput,
        response: { 200: Channel, 201: Channel, ...errorResponses, 422: Type.Ref('ErrorResponse') },
      },
    },
    async (req, reply) => {
      const result = await upsertChannel(ctx.db, ctx.clock, req.actor, req.params.channelId, req.body);
      if (!result.ok) return sendResult(reply, result);
      return reply.code(result.value.created ? 201 : 200).send(result.value.channel);
    },
  );

  app.get(
    '/channels',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags,
        summary: 'List sales channels',
        querystring: Type.Intersect([PageQuery, Type.Object({ active: Type.Optional(Type.Boolean()) })]),
        response: { 200: Page(Channel), ...errorResponses },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const after = decodeCursor<string>(req.query.cursor);
      const items = await listChannels(ctx.db, { active: req.query.active, after: typeof after === 'string' ? after : undefined, limit: limit + 1 });
      const page = items.slice(0, limit);
      return { items: page, nextCursor: items.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
    },
  );

  app.get(
    '/channels/:channelId',
    {
      config: { roles: ANY_ROLE },
      schema: { tags, summary: 'Read one sales channel', params: Type.Object({ channelId: ChannelId }), response: { 200: Channel, ...errorResponses } },
    },
    async (req, reply) => {
      const channel = await findChannel(ctx.db, req.params.channelId);
      if (!channel) return reply.code(404).send(errorBody('channel_not_found', `no channel ${req.params.channelId}`));
      return channel;
    },
  );

  app.get(
    '/channels/:channelId/audit',
    {
      config: { roles: ['admin', 'ops'] },
      schema: { tags, summary: 'Who changed this channel, and how', params: Type.Object({ channelId: ChannelId }) },
    },
    async (req) => ({ items: await listAudit(ctx.db, 'channel', req.params.channelId) }),
  );
};
