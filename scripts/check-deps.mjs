#!/usr/bin/env node
// Enforces the dependency rule of DESIGN §2: src/domain imports only src/domain (and pure libraries),
// modules never import http/app, and there are no import cycles between src files.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve('src');
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p);
  }
})(root);

const PURE_LIBS = new Set(['luxon', 'node:crypto']);
const problems = [];
const graph = new Map();
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const rel = path.relative(root, file);
  const deps = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    const spec = m[1];
    const isTypeOnly = /^\s*(?:import|export)\s+type\s/.test(m[0]);
    if (spec.startsWith('.')) {
      const target = path.relative(root, path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      if (!isTypeOnly) deps.push(target);
      if (rel.startsWith('domain/') && !target.startsWith('domain/')) problems.push(`${rel} imports ${target}: domain/ must stay pure`);
      if (rel.startsWith('modules/') && (target.startsWith('http/routes') || target === 'app.ts')) problems.push(`${rel} imports ${target}`);
    } else if (rel.startsWith('domain/') && !PURE_LIBS.has(spec)) {
      problems.push(`${rel} imports package "${spec}": domain/ imports only pure libraries (${[...PURE_LIBS].join(', ')})`);
    }
  }
  graph.set(rel, deps);
}

// Cycles among runtime imports.
const state = new Map();
const stack = [];
function visit(n) {
  state.set(n, 1);
  stack.push(n);
  for (const d of graph.get(n) ?? []) {
    if (!graph.has(d)) continue;
    if (state.get(d) === 1) problems.push(`import cycle: ${[...stack.slice(stack.indexOf(d)), d].join(' -> ')}`);
    else if (!state.get(d)) visit(d);
  }
  stack.pop();
  state.set(n, 2);
}
for (const n of graph.keys()) if (!state.get(n)) visit(n);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`dependency rules: ${files.length} files, no violation`);
