// Scenario 3: a server that caches an object per request in a Map and
// never evicts. The memory is V8's JS heap: v8.used rises through every
// full garbage collection (one every 0.4 s here, standing in for the ones
// a server sees every few minutes) while in-use (malloc) stays flat. A V8 leak.
// Run: node examples/scenarios/map-leak.mjs [--json]
import { serve } from '../workloads/requests.mjs';
import { getGc, runScenario } from './harness.mjs';

const cache = new Map();
await runScenario({
  name: 'map-leak',
  expected: 'v8-leak',
  about: 'an object per request cached in a Map, never evicted',
  async workload() {
    await serve({
      durationMs: 6000,
      fullGc: getGc(),
      fullGcEveryMs: 400,
      retain: (id) => ({ id, user: `user-${id}`, seenAt: Date.now(), roles: ['reader', `team-${id % 7}`], scores: [id, id * 2, id * 3] }),
      keep: (entry) => {
        for (let i = 0; i < 20; i++) cache.set(`${entry.id}:${i}`, { ...entry, part: i });
      },
    });
  },
});
