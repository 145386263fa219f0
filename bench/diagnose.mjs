// Cost of diagnose() by history length, next to sample(): what a Sampler's
// verdict event adds per check (at most one every 250 ms) and what
// sampler.diagnose() costs on demand. The histories are the story's
// sawtooth, built from one real sample.
import { diagnose, sample } from 'mallinfo';
import { compare, printTable } from './measure.mjs';

const MiB = 1024 * 1024;

function storyHistory(n, intervalMs) {
  const base = sample();
  return Array.from({ length: n }, (_, i) => {
    const inUse = 8 * MiB + ((i % 10) * 49 * MiB);
    return {
      ...base,
      time: base.time + i * intervalMs,
      heap: { ...base.heap, inUse, free: 490 * MiB - inUse },
      process: { ...base.process, resident: 540 * MiB },
      v8: { ...base.v8, used: 4 * MiB + (i % 10) * 100_000 },
    };
  });
}

export function benchDiagnose() {
  const sizes = [20, 360, 2000, 10_000];
  const candidates = [{ name: 'sample()', fn: sample }];
  for (const n of sizes) {
    const history = storyHistory(n, 10_000);
    const fullGcTimes = history.filter((_, i) => i % 10 === 0).map((s) => s.time - 1);
    candidates.push({ name: `diagnose(${n.toLocaleString('en')} samples)`, fn: () => diagnose(history, { fullGcTimes }) });
  }
  const results = compare(candidates, { calls: 20, trials: 7 });
  const base = results[0].nsPerCall;
  printTable(
    'diagnose() by history length (median of 7 interleaved batches of 20 calls; default maxPoints 60)',
    ['call', 'µs/call', '× sample()'],
    results.map((r) => [r.name, (r.nsPerCall / 1000).toFixed(1), (r.nsPerCall / base).toFixed(0)]),
  );
  return results;
}
