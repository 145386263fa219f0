// The Buffer leak under jemalloc (LD_PRELOAD=libjemalloc.so.2, Debian
// package libjemalloc2): glibc's statistics are gone (heap is null), so the
// verdict rests on RSS outside V8's heap. Still a native leak, with the
// confidence capped at 0.75 and a note that says why.
// Run: node examples/scenarios/jemalloc-leak.mjs [--json]
import { serve } from '../workloads/requests.mjs';
import { runScenario } from './harness.mjs';

const leaked = [];
await runScenario({
  name: 'jemalloc-leak',
  expected: 'native-leak',
  about: 'one 16 KB Buffer per request kept, under jemalloc',
  env: { LD_PRELOAD: 'libjemalloc.so.2' },
  async workload() {
    await serve({ durationMs: 6000, retain: () => Buffer.alloc(16_000, 1), keep: (b) => leaked.push(b) });
  },
});
