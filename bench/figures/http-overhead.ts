import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { createBenchDatabase } from '../lib/bench-db.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { runHttpLoad } from '../lib/http-load.js';
import { startOrdo } from '../lib/ordo-instance.js';
import { measuredFigure, type FigureResult } from '../lib/report.js';

const BODY = JSON.stringify({ status: 'ok' });

/** G8: Ordo's full stack (buildApp: auth hook, metrics hook, error handler) on /health/live vs bare node:http. */
export async function httpOverheadFigure(env: BenchEnv): Promise<FigureResult> {
  const load = { connections: 100, pipelining: 10, durationS: env.seconds(6, 2), method: 'GET' as const };

  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(BODY) });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/health/live`;
  let bareResult;
  try {
    await runHttpLoad({ ...load, url: bareUrl, durationS: env.warmupS });
    bareResult = await runHttpLoad({ ...load, url: bareUrl });
  } finally {
    await new Promise<void>((resolve) => bare.close(() => resolve()));
  }

  // Diagnostic third point: plain Fastify tells framework cost apart from Ordo's own hooks and plugins.
  const plain = Fastify({ logger: false });
  plain.get('/health/live', async () => ({ status: 'ok' }));
  await plain.listen({ host: '127.0.0.1', port: 0 });
  let plainResult;
  try {
    const url = `http://127.0.0.1:${(plain.server.address() as AddressInfo).port}/health/live`;
    await runHttpLoad({ ...load, url, durationS: env.warmupS });
    plainResult = await runHttpLoad({ ...load, url });
  } finally {
    await plain.close();
  }

  const bench = await createBenchDatabase(4);
  try {
    const ordo = await startOrdo(bench.database);
    try {
      const url = `${ordo.url}/health/live`;
      await runHttpLoad({ ...load, url, durationS: env.warmupS });
      const product = await runHttpLoad({ ...load, url });
      return measuredFigure({
        id: 'http-overhead',
        title: 'hello route: Ordo stack vs bare node:http',
        goal: 'G8',
        product: { label: 'Ordo buildApp GET /health/live', rate: product.rate, unit: 'req/s', p50Ms: product.p50Ms, p99Ms: product.p99Ms, details: { ...product, ...load } },
        baseline: { label: 'bare node:http, same JSON body', rate: bareResult.rate, unit: 'req/s', p50Ms: bareResult.p50Ms, p99Ms: bareResult.p99Ms, details: { ...bareResult, ...load } },
        minRatio: 0.85,
        checks: [{ name: 'no failed requests', value: product.non2xx + product.errors, aim: '= 0', pass: product.non2xx + product.errors === 0 }],
        notes: [
          `plain Fastify (no plugins, no hooks) on the same route: ${plainResult.rate} req/s = ${Math.round((plainResult.rate / bareResult.rate) * 1000) / 1000}x of bare`,
          'autocannon in a child process, 100 connections, pipelining 10, loopback',
        ],
      });
    } finally {
      await ordo.close();
    }
  } finally {
    await bench.drop();
  }
}
