// Scenario 5: an idle process, sampled for three seconds. Stable.
// Run: node examples/scenarios/idle.mjs [--json]
import { runScenario, sleep } from './harness.mjs';

await runScenario({
  name: 'idle',
  expected: 'stable',
  about: 'a process doing nothing',
  async workload() {
    await sleep(3000);
  },
});
