// A server handling requests that keep nothing: JS garbage made and
// collected all the time, with a full collection every 0.4 s as in
// map-leak. V8's heap creeps up between full collections (old objects that
// died are only freed by one) and falls back after each: stable.
// Run: node examples/scenarios/requests.mjs [--json]
import { serve } from '../workloads/requests.mjs';
import { getGc, runScenario } from './harness.mjs';

await runScenario({
  name: 'requests',
  expected: 'stable',
  about: 'requests that keep nothing',
  async workload() {
    await serve({ durationMs: 6000, fullGc: getGc(), fullGcEveryMs: 400 });
  },
});
