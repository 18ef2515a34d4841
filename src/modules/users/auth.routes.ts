import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { OrdoContext } from '../../context.js';
import { fail } from '../../domain/shared/result.js';
import { sendFailure } from '../../http/error-handler.js';
import { errorResponses } from '../../http/schemas.js';
import { login, UnknownEmailThrottle } from './login.js';
import { changeOwnPassword } from './manage-users.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.js';
import { csrfMatches, SESSION_COOKIE, sessionUser, type SessionAuthenticator } from './sessions.js';
import { SessionUser } from './users.schemas.js';

const tags = ['auth'];
const SessionResponse = Type.Object({ user: SessionUser, csrfToken: Type.String() });
const USER_ROLES_ONLY = ['admin', 'ops', 'service', 'store'] as const;

const notSignedIn = () => fail('unauthorized', 'this call needs a signed-in user (session cookie), not an API key');

export const authRoutes =
  (ctx: OrdoContext, sessions: SessionAuthenticator): FastifyPluginAsyncTypebox =>
  async (app) => {
    const unknownEmails = new UnknownEmailThrottle();
    const cookieOptions = { httpOnly: true, sameSite: 'strict', path: '/', secure: ctx.config.secureCookies } as const;
    const clearCookie = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, cookieOptions);
    const setRetryAfter = (reply: FastifyReply, details: unknown) => {
      const retry = (details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (retry) reply.header('retry-after', String(retry));
    };

    app.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Sign in with e-mail and password: sets the HTTP-only session cookie and returns the CSRF token',
          security: [],
          body: Type.Object(
            { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }) },
            { additionalProperties: false },
          ),
          response: { 200: SessionResponse, ...errorResponses, 429: Type.Ref('ErrorResponse') },
        },
      },
      async (req, reply) => {
        const result = await login(
          { db: ctx.db, clock: ctx.clock, sessions, unknownEmails },
          { email: req.body.email, password: req.body.password, userAgent: req.headers['user-agent'] ?? null, ip: req.ip },
        );
        if (!result.ok) {
          if (result.code === 'too_many_attempts') setRetryAfter(reply, result.details);
          return sendFailure(reply, result);
        }
        const { token, maxAgeSeconds, user, csrfToken } = result.value;
        // Max-Age rather than Expires: the browser counts it from now, whatever the server's clock says.
        reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: maxAgeSeconds });
        return { user, csrfToken };
      },
    );

    app.get(
      '/auth/session',
      { config: { roles: USER_ROLES_ONLY }, schema: { tags, summary: 'The signed-in user and the CSRF token of the session', response: { 200: SessionResponse, ...errorResponses } } },
      async (req, reply) => {
        const session = req.userSession;
        if (!session) return sendFailure(reply, notSignedIn());
        return { user: sessionUser(session.user), csrfToken: session.csrfToken };
      },
    );

    // Public so that signing out always clears the cookie, even when the session already ended; a live
    // session is only ended with its CSRF token (another site cannot sign the user out).
    app.post(
      '/auth/logout',
      { config: { public: true }, schema: { tags, summary: 'Sign out: ends the session and clears the cookie', security: [], response: { 204: Type.Null(), ...errorResponses } } },
      async (req, reply) => {
        const token = req.cookies[SESSION_COOKIE];
        const session = token ? await sessions.resolve(token) : undefined;
        if (session) {
          if (!csrfMatches(req.headers['x-csrf-token'], session.csrfToken)) return sendFailure(reply, fail('csrf_failed', 'missing or wrong "x-csrf-token" header for this session'));
          await sessions.revoke(session);
        }
        clearCookie(reply);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/auth/password',
      {
        config: { roles: USER_ROLES_ONLY },
        schema: {
          tags,
          summary: 'Change your own password (current one required); your other sessions end',
          body: Type.Object(
            {
              currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
              newPassword: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
            },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null(), ...errorResponses, 422: Type.Ref('ErrorResponse'), 429: Type.Ref('ErrorResponse') },
        },
      },
      async (req, reply) => {
        const session = req.userSession;
        if (!session) return sendFailure(reply, notSignedIn());
        const result = await changeOwnPassword({ db: ctx.db, clock: ctx.clock, sessions }, session, req.body);
        if (!result.ok) {
          if (result.code === 'too_many_attempts') setRetryAfter(reply, result.details);
          return sendFailure(reply, result);
        }
        return reply.code(204).send(null);
      },
    );
  };
