// Load generator process: runs autocannon away from the event loop of the Ordo instance under test.
// A child process, not a worker thread: autocannon only aggregates its results on a main thread.
// Plain JavaScript so it starts without tsx.
import autocannon from 'autocannon';

const options = await new Promise((resolve) => process.once('message', resolve));
const { url, connections, pipelining, durationS, amount, overallRate, method, headers, bodies, paths, uniqueHeader } = options;

// Each request picks a pre-generated body or path at random: the spread (random SKUs, baskets) is
// decided by the caller, the worker only sends.
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const request = { method, headers };
// A header with a value no other request of this run carries (e.g. Idempotency-Key: every order is new).
let sent = 0;
const prefix = `${process.pid}-${Date.now().toString(36)}`;
if (bodies?.length || paths?.length || uniqueHeader) {
  request.setupRequest = (req) => {
    if (bodies?.length) req.body = pick(bodies);
    if (paths?.length) req.path = pick(paths);
    if (uniqueHeader) req.headers = { ...headers, [uniqueHeader]: `${prefix}-${++sent}` };
    return req;
  };
}

const result = await autocannon({
  url,
  connections,
  pipelining: pipelining ?? 1,
  ...(amount ? { amount } : { duration: durationS }),
  ...(overallRate ? { overallRate } : {}),
  timeout: 30,
  requests: [request],
});
process.send({
  requestsTotal: result.requests.total,
  durationS: result.duration,
  latencyP50: result.latency.p50,
  latencyP99: result.latency.p99,
  latencyMax: result.latency.max,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  ok2xx: result['2xx'],
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
}, () => process.disconnect());
