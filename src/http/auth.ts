import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../domain/shared/actor.js';
import type { KeyAuthenticator } from '../modules/access/api-keys.js';
import { csrfMatches, SESSION_COOKIE, type AuthenticatedSession, type SessionAuthenticator } from '../modules/users/sessions.js';
import { errorBody } from './error-handler.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** Set when the request was authenticated by the session cookie (not by an API key). */
    userSession?: AuthenticatedSession;
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

/** Methods that change nothing: a cookie-authenticated request needs no CSRF token for them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Integrations present `Authorization: Bearer <api key>`; browsers present the session cookie, and for
 * a state-changing request also the session's CSRF token in `x-csrf-token` (a cross-site form cannot
 * read it). Either way the request gets an actor, and role checks and store scopes are the same.
 */
export function installAuth(app: FastifyInstance, authenticator: KeyAuthenticator, sessions: SessionAuthenticator): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('userSession', undefined);
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    const config = req.routeOptions.config;
    const url = req.routeOptions.url;
    if (config.public || url === undefined || url.startsWith('/docs')) return;
    const header = req.headers.authorization;
    const cookie = req.cookies[SESSION_COOKIE];
    let actor: Actor | undefined;
    if (!header && cookie) {
      const session = await sessions.resolve(cookie);
      if (!session) return reply.code(401).send(errorBody('unauthorized', 'your session has ended; sign in again'));
      if (!SAFE_METHODS.has(req.method) && !csrfMatches(req.headers['x-csrf-token'], session.csrfToken)) {
        return reply.code(403).send(errorBody('csrf_failed', 'missing or wrong "x-csrf-token" header for this session'));
      }
      req.userSession = session;
      actor = session.actor;
    } else {
      const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      if (!match?.[1]) {
        return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody('unauthorized', 'missing or malformed "Authorization: Bearer <api key>" header (or sign in)'));
      }
      actor = await authenticator.authenticate(match[1]);
      if (!actor) {
        return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody('unauthorized', 'unknown or revoked API key'));
      }
    }
    const roles = config.roles ?? ['admin'];
    if (!roles.includes(actor.role)) {
      return reply.code(403).send(errorBody('forbidden', `role "${actor.role}" may not call ${req.method} ${req.routeOptions.url}`, { allowedRoles: roles }));
    }
    req.actor = actor;
  });
}
