// Scenario 1, the story: rounds of 10,000 × 50 KB Buffers, 1 % kept until
// the next round, then quiet. In-use returns to the same floor after every
// round while glibc keeps ~480 MB of freed memory resident, unused through
// the quiet stretch: fragmentation.
// Run: node examples/scenarios/story-fragmentation.mjs [--json]
import { allocationBurst } from '../workloads/fragmentation.mjs';
import { inRounds, runScenario, thenQuiet } from './harness.mjs';

await runScenario({
  name: 'story-fragmentation',
  expected: 'fragmentation',
  about: 'rounds of 10,000 × 50 KB Buffers with 1 % kept alive',
  workload: () => thenQuiet(() => inRounds(6, () => allocationBurst({ keptShare: 0.01 }))),
});
