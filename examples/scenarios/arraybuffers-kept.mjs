// A native leak of plain ArrayBuffers kept by JS (issue 11): in-use from
// ~2.5 MB to ~48 MB in 24 s, owned by JavaScript (v8.external grows in
// step). Sampled every 500 ms: native-leak.
// Run: node examples/scenarios/arraybuffers-kept.mjs [--json]
import { runScenario, sleep } from './harness.mjs';

const kept = [];
await runScenario({
  name: 'arraybuffers-kept',
  expected: 'native-leak',
  about: 'Float64Arrays of 16 KB kept in an array, about 1.9 MB/s for 24 s, sampled every 500 ms',
  intervalMs: 500,
  async workload() {
    const end = performance.now() + 24_000;
    while (performance.now() < end) {
      // 6 × 16 KB every 50 ms ≈ 1.9 MB/s.
      for (let n = 0; n < 6; n++) kept.push(new Float64Array(2048).fill(n));
      await sleep(50);
    }
  },
});
