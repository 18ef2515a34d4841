import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { abba } from '../lib/abba.js';
import { createBenchDatabase } from '../lib/bench-db.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { runHttpLoad } from '../lib/http-load.js';
import { startOrdo } from '../lib/ordo-instance.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';

const BODY = JSON.stringify({ status: 'ok' });
const portOf = (server: http.Server): number => (server.address() as AddressInfo).port;

/** G8: Ordo's full stack (buildApp: auth hook, metrics hook, error handler) on /health/live vs bare node:http. */
export async function httpOverheadFigure(env: BenchEnv): Promise<FigureResult> {
  const windowS = env.seconds(3, 1);
  const load = { connections: 100, pipelining: 10, method: 'GET' as const };

  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(BODY) });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  // Diagnostic third point: plain Fastify tells the framework's cost apart from Ordo's own hooks and plugins.
  const plain = Fastify({ logger: false });
  plain.get('/health/live', async () => ({ status: 'ok' }));
  await plain.listen({ host: '127.0.0.1', port: 0 });
  const bench = await createBenchDatabase(4);
  try {
    const ordo = await startOrdo(bench.database);
    try {
      const bareUrl = `http://127.0.0.1:${portOf(bare)}/health/live`;
      const plainUrl = `http://127.0.0.1:${portOf(plain.server)}/health/live`;
      const ordoUrl = `${ordo.url}/health/live`;
      for (const url of [bareUrl, plainUrl, ordoUrl]) await runHttpLoad({ ...load, url, durationS: env.warmupS });
      const { baseline, product } = await abba(
        () => runHttpLoad({ ...load, url: bareUrl, durationS: windowS }),
        () => runHttpLoad({ ...load, url: ordoUrl, durationS: windowS }),
      );
      const plainResult = await runHttpLoad({ ...load, url: plainUrl, durationS: windowS });
      return measuredFigure({
        id: 'http-overhead',
        title: 'hello route: Ordo stack vs bare node:http',
        goal: 'G8',
        product: { label: 'Ordo buildApp GET /health/live', rate: product.rate, unit: 'req/s', p50Ms: product.p50Ms, p99Ms: product.p99Ms, details: { ...product, ...load } },
        baseline: { label: 'bare node:http, same JSON body', rate: baseline.rate, unit: 'req/s', p50Ms: baseline.p50Ms, p99Ms: baseline.p99Ms, details: { ...baseline, ...load } },
        minRatio: 0.85,
        checks: [{ name: 'no failed requests', value: product.failed, aim: '= 0', pass: product.failed === 0 }],
        notes: [
          `plain Fastify (no plugins, no hooks) on the same route, one window after: ${plainResult.rate} req/s = ${Math.round((plainResult.rate / baseline.rate) * 1000) / 1000}x of bare`,
          `bare and Ordo interleaved A-B-B-A, windows of ${windowS} s; autocannon in a child process, 100 connections, pipelining 10, loopback`,
        ],
      });
    } finally {
      await ordo.close();
    }
  } finally {
    await bench.drop();
    await plain.close();
    await new Promise<void>((resolve) => bare.close(() => resolve()));
  }
}
