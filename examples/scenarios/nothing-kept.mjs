// Scenario 4: the story's bursts with nothing kept. The program frees every
// Buffer, yet glibc still keeps ~480 MB resident: Node and V8 allocate small
// long-lived chunks during the burst (e.g. for new JS heap pages), and they
// pin the freed memory as the 1 % did. Still fragmentation, not "stable".
// Run: node examples/scenarios/nothing-kept.mjs [--json]
import { allocationBurst } from '../workloads/fragmentation.mjs';
import { inRounds, runScenario, thenQuiet } from './harness.mjs';

await runScenario({
  name: 'nothing-kept',
  expected: 'fragmentation',
  about: 'rounds of 10,000 × 50 KB Buffers, none kept',
  workload: () => thenQuiet(() => inRounds(6, () => allocationBurst({ keptShare: 0 }))),
});
