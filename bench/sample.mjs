// Per-call cost of sample() against the raw native fill and against what a
// Node program would otherwise call to learn its memory.
import { readFileSync } from 'node:fs';
import { sample } from 'mallinfo';
import { binding } from '../lib/native.js';
import { compare, printTable } from './measure.mjs';

export function benchSample() {
  const results = compare([
    { name: 'sample()', fn: sample },
    { name: 'native fill only (mallinfo2 + statm)', fn: () => binding.fill() },
    { name: 'process.memoryUsage()', fn: () => process.memoryUsage() },
    { name: 'process.memoryUsage.rss()', fn: () => process.memoryUsage.rss() },
    { name: "fs.readFileSync('/proc/self/statm')", fn: () => readFileSync('/proc/self/statm') },
  ]);
  const base = results[0].nsPerCall;
  printTable(
    'Per-call cost (median of 9 interleaved batches of 20,000 calls)',
    ['call', 'ns/call', '× sample()'],
    results.map((r) => [r.name, r.nsPerCall.toFixed(0), (r.nsPerCall / base).toFixed(2)]),
  );
  return results;
}
