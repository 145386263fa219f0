// The story's workload (1 % kept) with the advice applied:
// MALLOC_MMAP_THRESHOLD_=32768 gives every 50 KB Buffer its own mapping,
// returned to the kernel when freed. RSS falls back with in-use: stable.
// Run: node examples/scenarios/story-mmap-threshold.mjs [--json]
import { allocationBurst } from '../workloads/fragmentation.mjs';
import { inRounds, runScenario } from './harness.mjs';

await runScenario({
  name: 'story-mmap-threshold',
  expected: 'stable',
  undecided: 'each burst maps and unmaps 500 MB: the lows of its thirds are too few to tell level from rising',
  about: 'the story with MALLOC_MMAP_THRESHOLD_=32768',
  env: { MALLOC_MMAP_THRESHOLD_: '32768' },
  workload: () => inRounds(10, () => allocationBurst({ keptShare: 0.01 })),
});
