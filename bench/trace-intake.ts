/**
 * Dev probe (not a figure): every PostgreSQL statement one POST /v1/orders makes on the order-intake
 * scene (--quick network, a fresh PostgreSQL database), with the Node CPU per order, sequential orders.
 * `npx tsx bench/trace-intake.ts [--profile=out.cpuprofile] [--dump=statements.json]` (open the profile in
 * Chrome DevTools; the dump holds the full text of the last order's statements, to replay them by hand).
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import type { BenchEnv } from './lib/bench-env.js';
import { authHeaders } from './lib/ordo-instance.js';
import { openIntakeScene, orderBodies, orderLoad } from './lib/order-intake.js';
import { probeQueries } from './lib/query-probe.js';

const ORDERS = 20;
/**
 * --concurrent=N: the profiled orders come from autocannon in a child process, N connections for 5 s (the
 * figure's load; the client's CPU is not in this process), instead of 20 one by one from this process.
 */
const concurrent = Number(process.argv.find((a) => a.startsWith('--concurrent='))?.slice('--concurrent='.length) ?? 1);
const dumpPath = process.argv.find((a) => a.startsWith('--dump='))?.slice('--dump='.length);
const profilePath = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
const env: BenchEnv = { quick: true, seconds: (full, quick) => quick ?? full, warmupS: 0, log: (m) => console.error(m) };
const scene = await openIntakeScene(env);
try {
  const bodies = orderBodies(scene, 3 * ORDERS, { hot: false, seed: 7 });
  const post = async (i: number): Promise<void> => {
    const r = await fetch(`${scene.ordo.url}/v1/orders`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json', 'idempotency-key': `trace-${i}` },
      body: JSON.stringify(bodies[i]),
    });
    if (r.status !== 201) console.error(r.status, await r.text());
  };
  for (let i = 0; i < ORDERS; i++) await post(i); // warm-up
  const profiled = concurrent > 1 ? 0 : ORDERS;
  const session = new inspector.Session();
  if (profilePath) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  let placed = profiled;
  if (concurrent > 1) {
    const load = await orderLoad(scene, bodies, concurrent, 5);
    placed = load.ok;
  } else {
    for (let i = ORDERS; i < ORDERS + profiled; i++) await post(i);
  }
  const cpu = process.cpuUsage(cpu0);
  if (profilePath) fs.writeFileSync(profilePath, JSON.stringify((await session.post('Profiler.stop')).profile));
  console.log(`Node CPU per order (server, its background tasks and this client): ${((cpu.user + cpu.system) / 1000 / placed).toFixed(2)} ms over ${placed} orders`);
  const probe = probeQueries(scene.ordo.app.server);
  for (let i = ORDERS + profiled; i < 2 * ORDERS + profiled; i++) await post(i);
  probe.stop();
  const traces = probe.traces.filter((t) => t.statements.length > 0);
  console.log(`round trips per order: ${traces.map((t) => t.statements.length).join(', ')}`);
  if (dumpPath) fs.writeFileSync(dumpPath, JSON.stringify(traces.at(-1)!.statements, null, 1));
  for (const s of traces.at(-1)!.statements) console.log(`${s.ms.toFixed(2).padStart(7)} ms  ${s.text.replace(/\s+/g, ' ').slice(0, 160)}`);
} finally {
  await scene.close();
}
