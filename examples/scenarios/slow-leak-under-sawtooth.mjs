// Scenario 6: a slow native leak hidden under a large sawtooth. Each of 20 bursts
// swings 120–280 MB and returns; only 512 KB per burst stays behind, 0.3 %
// of a swing. First-vs-last samples would say anything depending on where
// each falls in a burst; the troughs rise burst after burst. A native leak.
// Run: node examples/scenarios/slow-leak-under-sawtooth.mjs [--json]
import { largeBurst, seededRandom } from '../workloads/sawtooth.mjs';
import { inRounds, runScenario } from './harness.mjs';

const random = seededRandom(42);
const leaked = [];
await runScenario({
  name: 'slow-leak-under-sawtooth',
  expected: 'native-leak',
  undecided: '10 MB of leak under 120–280 MB bursts in ~15 s: within the garbage its floor carries',
  about: 'bursts of 3–7 × 40 MB Buffers, 8 × 64 KB kept forever after each',
  workload: () =>
    inRounds(
      20,
      async () => {
        await largeBurst(random);
        for (let i = 0; i < 8; i++) leaked.push(Buffer.alloc(64 * 1024, 1));
      },
      { pauseMs: 100 },
    ),
});
