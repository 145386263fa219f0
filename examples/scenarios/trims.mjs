// The story with trims: four rounds, a quiet stretch, a trim; again; then a
// second of quiet. A trim returns the pages (RSS drops) while glibc keeps
// its free bytes; the next burst takes the pages again. The verdict stays
// fragmentation: it must not flip because someone trimmed.
// Run: node examples/scenarios/trims.mjs [--json]
import { trimSync } from 'mallinfo';
import { allocationBurst } from '../workloads/fragmentation.mjs';
import { inRounds, runScenario, sleep, thenQuiet } from './harness.mjs';

await runScenario({
  name: 'trims',
  expected: 'fragmentation',
  about: 'the story in two halves of 4 rounds, each followed by a quiet stretch and a trim',
  async workload({ mark }) {
    const trim = (label) => {
      const { released } = trimSync();
      mark(`${label}: ${(released / 2 ** 20).toFixed(0)} MB released`);
    };
    // Bursts, a quiet stretch (freed memory resident and unused: fragmentation), a trim; again; then quiet.
    await thenQuiet(() => inRounds(4, () => allocationBurst({ keptShare: 0.01 })));
    trim('trim after round 4');
    await thenQuiet(() => inRounds(4, () => allocationBurst({ keptShare: 0.01 })));
    trim('trim after round 8');
    await sleep(1000);
  },
});
