// Scenario 5: an idle process, sampled for three seconds. Stable.
// Run: node examples/scenarios/idle.mjs [--json]
import { runScenario, sleep } from './harness.mjs';

await runScenario({
  name: 'idle',
  expected: 'stable',
  undecided: "3 s at 50 ms: the sampler's own garbage lifts V8's heap a little, and so short a window may hold no full collection to show it comes back",
  about: 'a process doing nothing',
  async workload() {
    await sleep(3000);
  },
});
