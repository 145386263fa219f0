// A V8 leak (issue 11): closures and strings kept in an array, V8's used
// heap from ~5 MB to ~250 MB in 24 s, with few full collections in the
// window (V8 grows its heap instead). Sampled every 500 ms: v8-leak.
// Run: node examples/scenarios/closures-and-strings.mjs [--json]
import { runScenario, sleep } from './harness.mjs';

const kept = [];
const TARGET_BYTES_PER_SECOND = 12.5 * 1024 * 1024;
await runScenario({
  name: 'closures-and-strings',
  expected: 'v8-leak',
  about: 'closures and strings kept in an array, about 10 MB/s of V8 heap (12.5 M counted at 1 KB an item) for 24 s, sampled every 500 ms',
  intervalMs: 500,
  async workload() {
    const start = performance.now();
    const end = start + 24_000;
    let i = 0;
    let bytes = 0;
    while (performance.now() < end) {
      // Paced by the clock: ~1 KB an item (a 480-character string, a slice of it, a closure over its context).
      const due = ((performance.now() - start) / 1000) * TARGET_BYTES_PER_SECOND;
      for (; bytes < due; bytes += 1024, i++) {
        const text = `request ${i} `.padEnd(480, String.fromCharCode(97 + (i % 26)));
        const context = { id: i, at: Date.now(), text };
        kept.push(text.slice(1) + i, () => context.id + context.text.length);
      }
      await sleep(50);
    }
  },
});
