// A large sawtooth that returns to its floor: bursts of 120–280 MB of
// large Buffers, freed after each burst. RSS and in-use swing widely, but
// every trough is the same. Stable (the control for slow-leak-under-sawtooth).
// Run: node examples/scenarios/sawtooth.mjs [--json]
import { largeBurst, seededRandom } from '../workloads/sawtooth.mjs';
import { inRounds, runScenario } from './harness.mjs';

const random = seededRandom(42);
await runScenario({
  name: 'sawtooth',
  expected: 'stable',
  about: 'bursts of 3–7 × 40 MB Buffers, all freed',
  workload: () => inRounds(16, () => largeBurst(random), { pauseMs: 100 }),
});
