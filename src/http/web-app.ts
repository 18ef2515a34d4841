import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build:web` (vite) writes the web apps. */
export const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');

/** Same-origin only, no framing; Mantine sets inline styles, so styles allow 'unsafe-inline'. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

/**
 * Serves the web apps (back office, store app, tracking page) under /app: hashed assets cached for a year,
 * any other path answered with index.html so the client router can open deep links. They call only the
 * public API, like any integration.
 */
export async function installWebApp(app: FastifyInstance, distDir: string = WEB_DIST): Promise<void> {
  const built = fs.existsSync(path.join(distDir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: distDir, serve: false });
  const route = { config: { public: true }, schema: { hide: true } };
  const toApp = async (_req: unknown, reply: FastifyReply) => reply.redirect('/app/');
  app.get('/', route, toApp);
  app.get('/app', route, toApp);
  app.get('/app/*', route, async (req, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (!built) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The Ordo web apps are not built yet: run `npm run build:web` (`npm start` builds them).');
    }
    const rel = (req.params as { '*': string })['*'];
    const file = path.resolve(distDir, rel);
    if (rel && file.startsWith(distDir + path.sep) && fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      const immutable = rel.startsWith('assets/');
      return reply.sendFile(rel, { immutable, maxAge: immutable ? '365d' : 0 });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
}
