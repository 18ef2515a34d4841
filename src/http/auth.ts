import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../domain/shared/actor.js';
import type { KeyAuthenticator } from '../modules/access/api-keys.js';
import { errorBody } from './error-handler.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** No key needed (health, metrics, docs). */
    public?: boolean;
    /** Roles allowed on the route; a route that declares none is for admins only. */
    roles?: readonly Role[];
  }
}

/** Everyone who may read master data and stock. */
export const ANY_ROLE: readonly Role[] = ['admin', 'integration', 'ops', 'service', 'store'];

export function installAuth(app: FastifyInstance, authenticator: KeyAuthenticator): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    const config = req.routeOptions.config;
    const url = req.routeOptions.url;
    if (config.public || url === undefined || url.startsWith('/docs')) return;
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody('unauthorized', 'missing or malformed "Authorization: Bearer <api key>" header'));
    }
    const actor = await authenticator.authenticate(match[1]);
    if (!actor) {
      return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody('unauthorized', 'unknown or revoked API key'));
    }
    const roles = config.roles ?? ['admin'];
    if (!roles.includes(actor.role)) {
      return reply.code(403).send(errorBody('forbidden', `role "${actor.role}" may not call ${req.method} ${req.routeOptions.url}`, { allowedRoles: roles }));
    }
    req.actor = actor;
  });
}
