import fs from 'node:fs';
import path from 'node:path';
import type { MachineInfo } from './machine.js';

/** One measured side of a figure (the product or its baseline). */
export interface Measurement {
  label: string;
  /** Operations per second (or the figure's unit). */
  rate: number;
  unit: string;
  p50Ms?: number;
  p99Ms?: number;
  /** Raw counts and settings behind the rate. */
  details?: Record<string, unknown>;
}

/** A secondary requirement of a figure (latency bound, conservation...). */
export interface Check {
  name: string;
  value: number | string | boolean;
  aim: string;
  pass: boolean;
}

export type FigureResult =
  | {
      id: string;
      title: string;
      goal: string;
      status: 'measured';
      product: Measurement;
      baseline: Measurement;
      /** product.rate / baseline.rate */
      ratio: number;
      /** A floor for "more is better" figures (throughput), a ceiling for "less is better" ones (padding). */
      aim: { minRatio?: number; maxRatio?: number };
      checks: Check[];
      /** Ratio meets its aim and every check passes. */
      pass: boolean;
      notes: string[];
    }
  | { id: string; title: string; goal: string; status: 'not_available' | 'error'; reason: string; notes: string[] };

export function measuredFigure(f: {
  id: string;
  title: string;
  goal: string;
  product: Measurement;
  baseline: Measurement;
  minRatio?: number;
  maxRatio?: number;
  checks?: Check[];
  notes?: string[];
}): FigureResult {
  const ratio = f.baseline.rate > 0 ? Math.round((f.product.rate / f.baseline.rate) * 1000) / 1000 : 0;
  const checks = f.checks ?? [];
  return {
    id: f.id,
    title: f.title,
    goal: f.goal,
    status: 'measured',
    product: f.product,
    baseline: f.baseline,
    ratio,
    aim: { ...(f.minRatio !== undefined ? { minRatio: f.minRatio } : {}), ...(f.maxRatio !== undefined ? { maxRatio: f.maxRatio } : {}) },
    checks,
    pass: (f.minRatio === undefined || ratio >= f.minRatio) && (f.maxRatio === undefined || ratio <= f.maxRatio) && checks.every((c) => c.pass),
    notes: f.notes ?? [],
  };
}

export interface BenchReport {
  date: string;
  mode: 'full' | 'quick';
  machine: MachineInfo;
  durationS: number;
  /** 1-min load average when the run started; above ~half the CPU count the box was not idle. */
  loadAverageAtStart: number;
  figures: FigureResult[];
}

export function writeReport(report: BenchReport, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.date.slice(0, 10)}-${report.machine.hostname}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(dir, 'latest.json'), text);
  return [file, path.join(dir, 'latest.json')];
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : String(n));

/** The human summary: one row per figure, then its secondary checks. */
export function summaryTable(report: BenchReport): string {
  const rows: string[][] = [['figure', 'product', 'baseline', 'ratio', 'aim', 'pass']];
  const extra: string[] = [];
  for (const f of report.figures) {
    if (f.status !== 'measured') {
      rows.push([`${f.goal} ${f.title}`, f.status, '-', '-', '-', '-']);
      extra.push(`  ${f.goal}: ${f.status}: ${f.reason.split('\n')[0]}`);
      continue;
    }
    const side = (m: Measurement): string => `${fmt(m.rate)} ${m.unit}${m.p99Ms !== undefined ? ` (p99 ${m.p99Ms} ms)` : ''}`;
    const aim = [f.aim.minRatio !== undefined ? `>= ${f.aim.minRatio}x` : '', f.aim.maxRatio !== undefined ? `<= ${f.aim.maxRatio}x` : ''].filter(Boolean).join(', ');
    rows.push([`${f.goal} ${f.title}`, side(f.product), side(f.baseline), `${f.ratio}x`, aim, f.pass ? 'PASS' : 'FAIL']);
    for (const c of f.checks) extra.push(`  ${f.goal} ${c.name}: ${String(c.value)} (aim ${c.aim}) ${c.pass ? 'ok' : 'MISSED'}`);
    for (const n of f.notes) extra.push(`  ${f.goal} note: ${n}`);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
  const m = report.machine;
  return [
    `Ordo bench (${report.mode}) ${report.date} on ${m.hostname}: ${m.cpuCount} x ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}`,
    `  ${m.postgres}`,
    ...(report.loadAverageAtStart > m.cpuCount / 2
      ? [`  WARNING: 1-min load average was ${report.loadAverageAtStart.toFixed(2)} at start: other processes shared the CPUs, ratios are noisy`]
      : []),
    '',
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.slice(1).map(line),
    '',
    ...extra,
  ].join('\n');
}
