// A slow native leak, ~300 KB/s (9 MB in 30 s), under collection-driven
// swings (issue 11): 12 MB of Buffers pile up and are dropped at once, and
// in-use falls only when V8 next collects them. Nothing forces a
// collection. Sampled every 500 ms: native-leak.
// Run: node examples/scenarios/slow-leak-under-gc-swings.mjs [--json]
import { runScenario, sleep } from './harness.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;
const kept = [];
let garbage;
await runScenario({
  name: 'slow-leak-under-gc-swings',
  expected: 'native-leak',
  undecided: '9 MB of leak under ~25 MB swings in 30 s: within the garbage its floor carries until more collections pass',
  about: '16 KB kept every 50 ms (~300 KB/s) under 12 MB piles of 64 KB Buffers dropped at once (in-use swings 25–60 MB with the collections), 30 s, sampled every 500 ms',
  intervalMs: 500,
  async workload() {
    const end = performance.now() + 30_000;
    let pile = [];
    while (performance.now() < end) {
      kept.push(Buffer.alloc(16 * KiB, 1));
      // ~5 MB/s of garbage: a 12 MB pile every ~2.5 s.
      for (let n = 0; n < 4; n++) pile.push(Buffer.alloc(64 * KiB, 2));
      if (pile.length * 64 * KiB >= 12 * MiB) pile = [];
      // And the JS garbage of the requests around it (~4 MB/s): its scavenges collect dropped piles that are still young.
      for (let n = 0; n < 1000; n++) garbage = { n, name: `request ${n}`, tags: [n, n + 1] };
      await sleep(50);
    }
  },
});
