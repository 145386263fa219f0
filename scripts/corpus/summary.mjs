#!/usr/bin/env node
// Prints what the corpus holds: traces and rejects per family and label,
// durations, intervals and size on disk.
// Usage: node scripts/corpus/summary.mjs [test/corpus]
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? 'test/corpus');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
const rows = new Map();
for (const t of index.traces) {
  const row = rows.get(t.family) ?? { label: t.label, traces: 0, rejected: 0, long: 0, atLeast60s: 0, intervals: new Set() };
  row.traces++;
  if (t.long) row.long++;
  if (t.durationMs >= 60_000) row.atLeast60s++;
  row.intervals.add(t.intervalMs);
  rows.set(t.family, row);
}
for (const r of index.rejected) {
  const row = rows.get(r.family) ?? { label: r.label, traces: 0, rejected: 0, long: 0, atLeast60s: 0, intervals: new Set() };
  row.rejected++;
  rows.set(r.family, row);
}
console.log(`${'family'.padEnd(30)} ${'label'.padEnd(14)} traces rejected ≥60s long interval`);
for (const [family, r] of [...rows].sort((a, b) => a[1].label.localeCompare(b[1].label) || a[0].localeCompare(b[0]))) {
  console.log(`${family.padEnd(30)} ${r.label.padEnd(14)} ${String(r.traces).padStart(6)} ${String(r.rejected).padStart(8)} ${String(r.atLeast60s).padStart(4)} ${String(r.long).padStart(4)} ${[...r.intervals].sort((a, b) => a - b).join('/')} ms`);
}
const byLabel = {};
for (const t of index.traces) byLabel[t.label] = (byLabel[t.label] ?? 0) + 1;
const bytes = index.traces.reduce((sum, t) => sum + statSync(join(dir, t.file)).size, 0);
const hours = index.traces.reduce((sum, t) => sum + t.durationMs, 0) / 3_600_000;
console.log(`\n${index.traces.length} traces ${JSON.stringify(byLabel)}, ${index.rejected.length} rejected; ${(bytes / 1e6).toFixed(2)} MB gzip; ${hours.toFixed(2)} h sampled`);
console.log(`rejects: ${index.rejected.map((r) => `\n  ${r.family}: ${r.reason}`).join('')}`);
