// Scenario 7: only a handful of samples (a quarter of a second at 50 ms):
// too few for any verdict.
// Run: node examples/scenarios/few-samples.mjs [--json]
import { serve } from '../workloads/requests.mjs';
import { runScenario } from './harness.mjs';

const leaked = [];
await runScenario({
  name: 'few-samples',
  expected: 'insufficient-data',
  about: 'a Buffer leak, but sampled for 0.25 s only',
  async workload() {
    await serve({ durationMs: 250, retain: () => Buffer.alloc(16_000, 1), keep: (b) => leaked.push(b) });
  },
});
