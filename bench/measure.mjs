// Per-call timing for the benchmarks: candidates run interleaved, trial by
// trial, and each reports its median, so a noisy neighbour slows all alike.
import { cpus, release, totalmem } from 'node:os';
import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { allocator } from 'mallinfo';

/** Runs `fn` `calls` times and returns nanoseconds per call. */
function timeBatch(fn, calls) {
  const start = performance.now();
  for (let i = 0; i < calls; i++) fn();
  return ((performance.now() - start) * 1e6) / calls;
}

/** The value at quantile `q` (0…1) of `values`, nearest rank. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.round(q * (sorted.length - 1))];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures each candidate ({ name, fn }) over `trials` interleaved batches
 * of `calls` calls, after a warm-up batch; returns [{ name, nsPerCall }].
 */
export function compare(candidates, { calls = 20_000, trials = 9 } = {}) {
  for (const c of candidates) timeBatch(c.fn, calls);
  const samples = candidates.map(() => []);
  for (let t = 0; t < trials; t++) {
    candidates.forEach((c, i) => samples[i].push(timeBatch(c.fn, calls)));
  }
  return candidates.map((c, i) => ({ name: c.name, nsPerCall: median(samples[i]) }));
}

/** Prints rows as an aligned text table. */
export function printTable(title, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** The machine the benchmarks ran on, in one line. */
export function describeMachine() {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version} (${process.arch}), ${allocator().kind} ${allocator().version ?? ''}`;
}

/** Where a benchmark's plot ({ png, html }) was written, for the terminal. */
export function figureLine(figure) {
  return `Plot: ${relative(process.cwd(), figure.png)} (chart page: ${relative(process.cwd(), figure.html)})`;
}
