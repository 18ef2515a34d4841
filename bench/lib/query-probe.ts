import { AsyncLocalStorage } from 'node:async_hooks';
import type http from 'node:http';
import pg from 'pg';
import { round } from './stats.js';

/**
 * Counts the PostgreSQL round trips an HTTP request of the product makes, and how long each statement
 * took from the client's side (send → result: network, lock waits and server work). Requests are
 * marked as they enter the Node server; every `pg.Client#query` issued from their async context is
 * attributed to them, so background tasks (outbox relay, availability refresh) are left out.
 * Only for a probe phase: it patches `pg.Client.prototype.query` until `stop()`.
 */
export interface RequestTrace {
  statements: Array<{ text: string; ms: number }>;
  startedAt: number;
  totalMs: number;
}

export interface QueryProbe {
  /** Traces of completed requests. */
  traces: RequestTrace[];
  stop(): void;
}

export function probeQueries(server: http.Server): QueryProbe {
  const als = new AsyncLocalStorage<RequestTrace>();
  const traces: RequestTrace[] = [];
  const original = pg.Client.prototype.query;
  const patched = function (this: pg.Client, ...args: unknown[]): unknown {
    const trace = als.getStore();
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    if (trace && result && typeof (result as Promise<unknown>).then === 'function') {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '?');
      const t0 = performance.now();
      const record = () => trace.statements.push({ text, ms: performance.now() - t0 });
      (result as Promise<unknown>).then(record, record);
    }
    return result;
  };
  (pg.Client.prototype as unknown as { query: unknown }).query = patched;
  // Runs before Fastify's listener in the same synchronous emit: the request's handlers inherit the store.
  const onRequest = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    const trace: RequestTrace = { statements: [], startedAt: performance.now(), totalMs: 0 };
    als.enterWith(trace);
    res.once('finish', () => {
      trace.totalMs = performance.now() - trace.startedAt;
      traces.push(trace);
    });
  };
  server.prependListener('request', onRequest);
  return {
    traces,
    stop() {
      server.removeListener('request', onRequest);
      (pg.Client.prototype as unknown as { query: unknown }).query = original;
    },
  };
}

/** A statement's shape without literals, so the same step of different orders groups together. */
export function statementShape(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\$\d+(, \$\d+)*/g, '$n')
    .replace(/\((\$n|'\?'|\d+)(, (\$n|'\?'|\d+))*\)(, \((\$n|'\?'|\d+)(, (\$n|'\?'|\d+))*\))*/g, '(…)')
    .trim()
    .slice(0, 110);
}

export interface TraceSummary {
  requests: number;
  roundTripsPerOrder: { mean: number; min: number; max: number };
  /** Sum of statement times per request (client side) vs the request's time in the server. */
  dbMsPerOrder: number;
  serverMsPerOrder: number;
  /** Statement shapes by total time, with calls per order and mean ms. */
  steps: Array<{ shape: string; perOrder: number; meanMs: number; shareOfDbTime: number }>;
}

export function summariseTraces(traces: RequestTrace[]): TraceSummary {
  const n = Math.max(1, traces.length);
  const counts = traces.map((t) => t.statements.length);
  const byShape = new Map<string, { calls: number; ms: number }>();
  let dbMs = 0;
  for (const t of traces) {
    for (const s of t.statements) {
      const shape = statementShape(s.text);
      const entry = byShape.get(shape) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += s.ms;
      byShape.set(shape, entry);
      dbMs += s.ms;
    }
  }
  return {
    requests: traces.length,
    roundTripsPerOrder: { mean: round(counts.reduce((a, b) => a + b, 0) / n, 2), min: counts.length ? Math.min(...counts) : 0, max: counts.length ? Math.max(...counts) : 0 },
    dbMsPerOrder: round(dbMs / n, 3),
    serverMsPerOrder: round(traces.reduce((a, t) => a + t.totalMs, 0) / n, 3),
    steps: [...byShape.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([shape, e]) => ({ shape, perOrder: round(e.calls / n, 2), meanMs: round(e.ms / e.calls, 3), shareOfDbTime: round(e.ms / Math.max(dbMs, 1e-9), 3) })),
  };
}
