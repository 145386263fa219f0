// The story with trims: one after the fourth round, one after the last,
// then a second of quiet. A trim returns the pages (RSS drops) while glibc
// keeps its free bytes; the next burst takes the pages again. The verdict
// stays fragmentation: it must not flip because someone trimmed.
// Run: node examples/scenarios/trims.mjs [--json]
import { trimSync } from 'mallinfo';
import { allocationBurst } from '../workloads/fragmentation.mjs';
import { inRounds, runScenario, sleep } from './harness.mjs';

await runScenario({
  name: 'trims',
  expected: 'fragmentation',
  about: 'the story, trimmed after round 4 and after round 8, then quiet',
  async workload({ mark }) {
    await inRounds(8, () => allocationBurst({ keptShare: 0.01 }), {
      async after(round) {
        if (round % 4 !== 0) return;
        const { released } = trimSync();
        mark(`trim after round ${round}: ${(released / 2 ** 20).toFixed(0)} MB released`);
        await sleep(100);
      },
    });
    await sleep(1000);
  },
});
