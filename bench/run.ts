/**
 * `npm run bench [-- --quick] [-- --only=hot-sku,pglite-vs-server]`: every figure is a ratio to a
 * baseline measured in this same run on this machine (see /work/shared/PERFORMANCE.md §0, §10).
 * Each figure gets a fresh PostgreSQL database (dropped after); results go to bench/results/.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverVersion } from './lib/bench-db.js';
import { waitForQuiet } from './lib/cpu-meter.js';
import type { BenchEnv } from './lib/bench-env.js';
import { machineInfo } from './lib/machine.js';
import { summaryTable, writeReport, type BenchReport, type FigureResult } from './lib/report.js';
import { availabilityFigure } from './figures/availability.js';
import { hotSkuFigure } from './figures/hot-sku.js';
import { hotSkuIntakeFigure } from './figures/hot-sku-intake.js';
import { httpOverheadFigure } from './figures/http-overhead.js';
import { orderIntakeFigure } from './figures/order-intake.js';
import { pgliteFigure } from './figures/pglite.js';
import { promiseLatencyFigure } from './figures/promise-latency.js';
import { promiseQualityFigure } from './figures/promise-quality.js';
import { reservationsFigure } from './figures/reservations.js';
import { sourcingFigure } from './figures/sourcing.js';

interface FigureSpec {
  id: string;
  goal: string;
  title: string;
  run: (env: BenchEnv) => Promise<FigureResult>;
}

const FIGURES: FigureSpec[] = [
  { id: 'reservations-http-vs-sql', goal: 'G1', title: 'reservations over HTTP vs bare SQL', run: reservationsFigure },
  { id: 'hot-sku', goal: 'G2', title: 'hot SKU: product vs naive endpoint', run: hotSkuFigure },
  { id: 'availability', goal: 'G4', title: 'availability: in-memory view vs PostgreSQL', run: availabilityFigure },
  { id: 'pglite-vs-server', goal: 'G9', title: 'single-connection hold: PGlite vs PostgreSQL server', run: pgliteFigure },
  { id: 'http-overhead', goal: 'G8', title: 'hello route: Ordo stack vs bare node:http', run: httpOverheadFigure },
  { id: 'sourcing', goal: 'G5', title: 'sourcing decision: exact DP vs HiGHS (MILP)', run: sourcingFigure },
  { id: 'promise-latency', goal: 'G7', title: 'delivery promise: 5 lines x 50 locations', run: promiseLatencyFigure },
  { id: 'promise-quality', goal: 'G7', title: 'promise quality: padding vs a static lead-time table at the same kept rate', run: promiseQualityFigure },
  { id: 'order-intake', goal: 'G1', title: 'order intake: POST /v1/orders vs one PL/pgSQL call per order', run: orderIntakeFigure },
  { id: 'hot-sku-intake', goal: 'G3', title: 'order intake with one hot SKU in every order vs uniform SKUs', run: hotSkuIntakeFigure },
];

function parseArgs(argv: string[]): { quick: boolean; only: Set<string> | undefined } {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',').filter(Boolean)) : undefined;
  const unknown = argv.filter((a) => a !== '--quick' && !a.startsWith('--only='));
  if (unknown.length > 0) throw new Error(`unknown arguments: ${unknown.join(' ')} (use --quick, --only=<figure ids>)`);
  if (only) {
    const missing = [...only].filter((id) => !FIGURES.some((f) => f.id === id));
    if (missing.length > 0) throw new Error(`unknown figure ids: ${missing.join(', ')}; known: ${FIGURES.map((f) => f.id).join(', ')}`);
  }
  return { quick, only };
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const env: BenchEnv = {
    quick,
    seconds: (full, quickValue) => (quick ? (quickValue ?? Math.min(full, 2)) : full),
    warmupS: quick ? 1 : 2,
    log: (message) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`),
  };
  const report: BenchReport = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: machineInfo(await serverVersion()),
    durationS: 0,
    loadAverageAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
    figures: [],
  };
  for (const spec of FIGURES) {
    if (only && !only.has(spec.id)) continue;
    const quiet = await waitForQuiet(os.cpus().length);
    env.log(`${spec.goal} ${spec.title}...`);
    const loadBefore = os.loadavg()[0]!;
    let figure: FigureResult;
    try {
      figure = await spec.run(env);
    } catch (err) {
      // One broken figure must not hide the others; it is reported as an error, never as a number.
      figure = { id: spec.id, goal: spec.goal, title: spec.title, status: 'error', reason: err instanceof Error ? (err.stack ?? err.message) : String(err), notes: [] };
    }
    // Other work on the box skews a same-run ratio too (the two sides do not suffer equally): record it.
    figure.notes.push(
      `1-min load average before/after: ${loadBefore.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} CPUs; before it, ${quiet.waitedS} s waiting for the machine to go quiet (last second: ${quiet.busy} CPUs busy)`,
    );
    report.figures.push(figure);
  }
  report.durationS = Math.round((performance.now() - started) / 100) / 10;
  // Quick (smoke) runs go to the git-ignored tmp/ so they never overwrite a committed full run.
  const results = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  const dir = quick ? path.join(results, 'tmp') : results;
  const files = writeReport(report, dir);
  console.log(`\n${summaryTable(report)}\n\nwritten: ${files.join(', ')} (${report.durationS} s)`);
}

await main();
// Background timers of the app instances are stopped; exit explicitly in case a library keeps a handle.
process.exit(0);
