// Load generator process: runs away from the event loop of the Ordo instance under test. As fast as
// answered: autocannon (a child process, not a worker thread: autocannon only aggregates its results on
// a main thread). At a rate (`overallRate`): an open loop of its own, see openLoop, over a lean client
// (raw-http-client.mjs). Plain JavaScript so it starts without tsx.
import autocannon from 'autocannon';
import { RawHttpClient } from './raw-http-client.mjs';

const options = await new Promise((resolve) => process.once('message', resolve));
const { url, connections, pipelining, durationS, amount, overallRate, leadInS, method, headers, bodies, paths, uniqueHeader, series } = options;

// Each request picks a pre-generated body or path at random: the spread (random SKUs, baskets) is
// decided by the caller, the worker only sends.
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const request = { method, headers, setupRequest: (req) => req };
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

if (overallRate) process.send(await openLoop(), () => process.disconnect());
else process.send(await closedLoop(), () => process.disconnect());

async function closedLoop() {
  const result = await autocannon({
    url,
    connections,
    pipelining: pipelining ?? 1,
    ...(amount ? { amount } : { duration: durationS }),
    timeout: 30,
    requests: [request],
  });
  return {
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
  };
}

/**
 * Requests arriving as a Poisson process at `overallRate` per second, each sent at its arrival time
 * whatever the others are doing (at most `connections` on the wire, the rest wait for a socket), and its
 * latency counted from that arrival, so a server that falls behind is charged for it. autocannon's rate
 * option does neither: each connection sends its quota for the second back to back when the second
 * starts (a burst every second), and it "corrects" for coordinated omission with an expected interval
 * of ceil(1 / rate) = 1 ms (units mixed up), adding ~n synthetic samples for every n ms of a response:
 * both inflate p99 far beyond what an order arriving at that rate waits.
 * With `leadInS`, the arrivals of the first seconds are sent the same way, without a gap, and reported apart.
 */
async function openLoop() {
  const target = new URL(url);
  const client = new RawHttpClient(target, connections, 30_000);
  const leadIn = phase();
  const measured = phase();
  const answered = [];
  const inFlight = [];
  const start = performance.now();
  // Arrivals before `from` are the lead-in: sent like the others, reported apart.
  const from = start + (leadInS ?? 0) * 1000;
  const end = from + (amount ? Infinity : durationS * 1000);
  let at = start;
  for (let n = 0; amount ? n < amount : at < end; n++) {
    const wait = at - performance.now();
    // Behind schedule, still let the answers in between sends.
    await new Promise((r) => (wait > 1 ? setTimeout(r, wait) : setImmediate(r)));
    const arrival = at;
    const counted = arrival < from ? leadIn : measured;
    const req = request.setupRequest({ method, path: target.pathname + target.search, headers });
    inFlight.push(client.request(req.method, req.path, req.headers, req.body).then(
      (status) => {
        const latencyMs = performance.now() - arrival;
        counted.latencies.push(latencyMs);
        if (series && counted === measured) answered.push({ arrivalMs: arrival - from, latencyMs });
        counted.statusCodes[status] = (counted.statusCodes[status] ?? 0) + 1;
      },
      (err) => (err.code === 'ETIMEDOUT' ? counted.timeouts++ : counted.errors++),
    ));
    at += -Math.log(1 - Math.random()) * (1000 / overallRate);
  }
  await Promise.all(inFlight);
  client.destroy();
  return {
    ...summary(measured),
    durationS: (performance.now() - from) / 1000,
    ...(leadInS ? { leadIn: summary(leadIn) } : {}),
    ...(series ? { series: answered, startedAt: performance.timeOrigin + from } : {}),
  };
}

function phase() {
  return { latencies: [], statusCodes: {}, errors: 0, timeouts: 0 };
}

function summary({ latencies, statusCodes, errors, timeouts }) {
  latencies.sort((x, y) => x - y);
  const q = (p) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] * 10) / 10 : 0);
  const ok2xx = Object.entries(statusCodes).reduce((sum, [code, n]) => sum + (code.startsWith('2') ? n : 0), 0);
  return {
    requestsTotal: latencies.length + errors + timeouts,
    latencyP50: q(0.5),
    latencyP99: q(0.99),
    latencyMax: q(1),
    errors,
    timeouts,
    non2xx: latencies.length - ok2xx,
    ok2xx,
    statusCodes,
  };
}
