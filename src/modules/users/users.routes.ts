import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { sendResult } from '../../http/error-handler.js';
import { decodeCursor, encodeCursor, Page, PageQuery } from '../../http/pagination.js';
import { errorResponses } from '../../http/schemas.js';
import { createUser, updateUserAsAdmin, type UserDeps } from './manage-users.js';
import type { SessionAuthenticator } from './sessions.js';
import { CreateUserBody, UpdateUserBody, User } from './users.schemas.js';
import { findUserById, listUsers } from './users.repository.js';
import { fail, ok } from '../../domain/shared/result.js';

const tags = ['users'];
const UserId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const conflictOrUnprocessable = { 409: Type.Ref('ErrorResponse'), 422: Type.Ref('ErrorResponse') } as const;

/** People who sign in to the web apps; admins only (the routes declare no roles). */
export const usersRoutes =
  (ctx: OrdoContext, sessions: SessionAuthenticator): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps: UserDeps = { db: ctx.db, clock: ctx.clock, sessions };

    app.post(
      '/users',
      { schema: { tags, summary: 'Create a user (admin)', body: CreateUserBody, response: { 201: User, ...errorResponses, ...conflictOrUnprocessable } } },
      async (req, reply) => sendResult(reply, await createUser(deps, req.actor, req.body), 201),
    );

    app.get(
      '/users',
      { schema: { tags, summary: 'List users by e-mail (admin)', querystring: PageQuery, response: { 200: Page(User), ...errorResponses } } },
      async (req) => {
        const limit = req.query.limit ?? 50;
        const after = decodeCursor<{ email: string }>(req.query.cursor);
        const items = await listUsers(ctx.db, { limit: limit + 1, afterEmail: after?.email });
        const page = items.slice(0, limit);
        return { items: page, nextCursor: items.length > limit ? encodeCursor({ email: page[page.length - 1]!.email }) : null };
      },
    );

    app.get('/users/:id', { schema: { tags, summary: 'One user (admin)', params: UserId, response: { 200: User, ...errorResponses } } }, async (req, reply) => {
      const user = await findUserById(ctx.db, req.params.id);
      return sendResult(reply, user ? ok(user) : fail('user_not_found', `no user ${req.params.id}`));
    });

    app.patch(
      '/users/:id',
      {
        schema: {
          tags,
          summary: 'Change a user (admin): name, role, stores, language, disable or enable, reset the password (ends its sessions)',
          params: UserId,
          body: UpdateUserBody,
          response: { 200: User, ...errorResponses, ...conflictOrUnprocessable },
        },
      },
      async (req, reply) => sendResult(reply, await updateUserAsAdmin(deps, req.actor, req.params.id, req.body)),
    );
  };
