import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { ROLES } from '../../domain/shared/actor.js';
import { ANY_ROLE } from '../../http/auth.js';
import { sendResult } from '../../http/error-handler.js';
import { errorResponses, LocationId, StringEnum } from '../../http/schemas.js';
import { listApiKeys } from './access.repository.js';
import { createApiKey, revokeKey } from './api-keys.js';

const tags = ['access'];
const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  keyPrefix: Type.String(),
  role: Type.String(),
  locationIds: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

export const accessRoutes = (ctx: OrdoContext): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key (admin); the secret is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            role: StringEnum(ROLES),
            locationIds: Type.Optional(Type.Array(LocationId, { maxItems: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Intersect([ApiKey, Type.Object({ secret: Type.String() })]), ...errorResponses },
      },
    },
    async (req, reply) => sendResult(reply, await createApiKey(ctx.db, req.actor, req.body), 201),
  );

  app.get('/api-keys', { schema: { tags, summary: 'List API keys (secrets are never shown again)', response: { 200: Type.Object({ items: Type.Array(ApiKey) }) } } }, async () => ({
    items: await listApiKeys(ctx.db),
  }));

  app.delete(
    '/api-keys/:id',
    { schema: { tags, summary: 'Revoke an API key', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: ApiKey, ...errorResponses } } },
    async (req, reply) => {
      const result = await revokeKey(ctx.db, req.actor, req.params.id);
      ctx.authenticator.forget();
      return sendResult(reply, result);
    },
  );

  app.get('/me', { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Who the presented key is' } }, async (req) => req.actor);
};
