// Per-call cost of sample() against the raw native fill and against what a
// Node program would otherwise call to learn its memory; and the bytes
// sample() itself mallocs (must be 0).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import client from 'prom-client';
import { sample } from 'mallinfo';
import { binding } from '../lib/core/native.js';
import { compare, median, printTable } from './measure.mjs';

// prom-client's default collector: the gauges that report memory.
function promMemoryGauges() {
  const register = new client.Registry();
  client.collectDefaultMetrics({ register });
  const gauges = [
    'process_resident_memory_bytes',
    'nodejs_heap_size_total_bytes',
    'nodejs_heap_size_used_bytes',
    'nodejs_external_memory_bytes',
  ].map((name) => register.getSingleMetric(name));
  // get() runs each gauge's collect synchronously, then wraps the result in a promise.
  return () => {
    for (const gauge of gauges) gauge.get();
  };
}

export function benchSample() {
  const results = compare([
    { name: 'sample()', fn: sample },
    { name: 'native fill only (mallinfo2 + statm)', fn: () => binding.fill() },
    { name: 'process.memoryUsage()', fn: () => process.memoryUsage() },
    { name: 'process.memoryUsage.rss()', fn: () => process.memoryUsage.rss() },
    { name: 'v8.getHeapStatistics()', fn: getHeapStatistics },
    { name: "fs.readFileSync('/proc/self/statm')", fn: () => readFileSync('/proc/self/statm') },
    { name: "prom-client default memory gauges (4)", fn: promMemoryGauges() },
  ]);
  const base = results[0].nsPerCall;
  printTable(
    'Per-call cost (median of 9 interleaved batches of 20,000 calls)',
    ['call', 'ns/call', '× sample()'],
    results.map((r) => [r.name, r.nsPerCall.toFixed(0), (r.nsPerCall / base).toFixed(2)]),
  );
  const byName = Object.fromEntries(results.map((r) => [r.name, r.nsPerCall]));
  const vsRss = base / byName['process.memoryUsage.rss()'];
  const vsFill = base / byName['native fill only (mallinfo2 + statm)'];
  console.log(`\nsample() / process.memoryUsage.rss() = ${vsRss.toFixed(2)} (target ≤ 0.50: ${vsRss <= 0.5 ? 'met' : 'MISSED'})`);
  console.log(`sample() / native fill              = ${vsFill.toFixed(2)} (target ≤ 1.50: ${vsFill <= 1.5 ? 'met' : 'MISSED'})`);
  return results;
}

/** Bytes malloc'd per sample(): heap.inUse over 100,000 calls in a quiet child (--single-threaded). */
export function benchBytesPerSample() {
  const fixture = new URL('../test/fixtures/perturb.cjs', import.meta.url).pathname;
  const run = (env) =>
    JSON.parse(execFileSync(process.execPath, ['--single-threaded', fixture], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim());
  const own = run({});
  const control = run({ ALLOCATE_PER_CALL: '1' });
  printTable(
    "Bytes malloc'd per call (heap.inUse change over 100,000 calls, median of 7 trials)",
    ['calls', 'inUse change', 'bytes/call', 'trials'],
    [
      ['sample()', `${median(own.deltas)} B`, (median(own.deltas) / 100_000).toFixed(3), own.deltas.join(' ')],
      ['sample() + a kept 16-byte ArrayBuffer (control)', `${median(control.deltas)} B`, (median(control.deltas) / 100_000).toFixed(1), ''],
    ],
  );
}
