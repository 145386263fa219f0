// Scenario 2: a server that keeps one 16 KB Buffer per request in a
// growing array. The memory is outside V8's heap: in-use (malloc) rises
// through every garbage collection. A native leak.
// Run: node examples/scenarios/buffer-leak.mjs [--json]
import { serve } from '../workloads/requests.mjs';
import { runScenario } from './harness.mjs';

const leaked = [];
await runScenario({
  name: 'buffer-leak',
  expected: 'native-leak',
  about: 'one 16 KB Buffer per request kept in an array',
  async workload() {
    await serve({ durationMs: 6000, retain: () => Buffer.alloc(16_000, 1), keep: (b) => leaked.push(b) });
  },
});
