// The Buffer leak under mimalloc (LD_PRELOAD=libmimalloc.so.2, Debian
// package libmimalloc2.0), an allocator mallinfo has no statistics for
// (heap is null), so the verdict rests on RSS outside V8's heap. Still a
// native leak, with the confidence capped at 0.75 and a note that says why.
// Run: node examples/scenarios/mimalloc-leak.mjs [--json]
import { serve } from '../workloads/requests.mjs';
import { runScenario } from './harness.mjs';

const leaked = [];
await runScenario({
  name: 'mimalloc-leak',
  expected: 'native-leak',
  about: 'one 16 KB Buffer per request kept, under mimalloc',
  env: { LD_PRELOAD: 'libmimalloc.so.2' },
  async workload() {
    await serve({ durationMs: 6000, retain: () => Buffer.alloc(16_000, 1), keep: (b) => leaked.push(b) });
  },
});
