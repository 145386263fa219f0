// `npm run demo`: is climbing RSS a leak, or the allocator holding freed
// memory? Rounds of 10,000 × 50 KB Buffers with 1 % kept alive, measured
// after each round; then malloc_trim and the RSS it gives back; then the
// verdict of diagnose() over what a Sampler saw meanwhile.
import { sample, trimSync, allocator, Sampler } from 'mallinfo';
import { collectAndSettle } from '../lib/testing/gc.js';
import { allocationBurst, survivors } from './workloads/fragmentation.mjs';
import { describeDiagnosis } from './scenarios/report.mjs';

const rounds = Number(process.env.ROUNDS ?? 4);
const MB = 1024 * 1024;
const mb = (bytes) => (bytes === null || bytes === undefined ? 'n/a' : `${(bytes / MB).toFixed(1)} MB`);

function row(label, s) {
  return {
    when: label,
    'RSS (kernel)': mb(s.process?.resident),
    'in use (malloc)': mb(s.heap?.inUse),
    'free, kept by malloc': mb(s.heap?.free),
    'mapped (malloc)': mb(s.heap?.mapped),
    'V8 heap used': mb(s.v8.used),
  };
}

const info = allocator();
console.log(`mallinfo demo — Node ${process.version}, allocator: ${info.kind} ${info.version ?? ''}`);
if (!info.heapStats) {
  console.log('This allocator gives no statistics: only RSS and V8 can be shown.');
}
console.log(`
Each round allocates 10,000 Buffers of 50 KB (≈ 500 MB) at once, like a server
answering a burst of requests, then keeps 1 % of them alive (a cache) and drops
the rest; the next round replaces them. Watch RSS against "in use": the memory
the program actually holds.
`);

// A Sampler watches the whole demo, every 50 ms, for the verdict at the end.
const sampler = new Sampler({ intervalMs: 50, history: 10_000 }).start();
const demoStarted = performance.now();
const table = [row('start', sample())];
for (let round = 1; round <= rounds; round++) {
  await allocationBurst(); // the same round, over a few turns of the event loop
  await collectAndSettle();
  table.push(row(`after round ${round}`, sample()));
}
console.table(table);
const roundsMs = performance.now() - demoStarted;

const last = sample();
if (last.heap && last.process) {
  const unexplained = last.process.resident - last.heap.inUse - last.v8.physical;
  console.log(`
The program holds ${mb(last.heap.inUse)} through malloc (${survivors.length} Buffers of 50 KB survive),
yet the kernel counts ${mb(last.process.resident)} resident. About ${mb(unexplained)} is neither in use
by the program nor by V8's heap: it is free memory the allocator keeps (${mb(last.heap.free)} free
in its arenas). That is fragmentation, not a leak: "in use" stays flat round after round, while
the few survivors, scattered between freed chunks, stop glibc from giving the rest
back to the kernel by itself.
`);
}

// The program goes quiet, as a service does after a burst: the freed
// memory stays resident, unused, for as long as the rounds took (at least
// 2 s) — what makes it fragmentation rather than headroom the next burst
// would take back.
await new Promise((resolve) => setTimeout(resolve, Math.max(2000, roundsMs)));

if (info.trim) {
  const before = sample();
  const result = trimSync();
  const after = sample();
  console.log(`malloc_trim(0) took ${result.durationMs.toFixed(1)} ms:`);
  console.table([row('before trim', before), row('after trim', after)]);
  console.log(`RSS ${mb(result.rssBefore)} → ${mb(result.rssAfter)}: ${mb(result.released)} given back to the kernel,`);
  console.log(`while "in use" did not change: nothing the program needs was lost.`);
}

// A few more samples after the trim, until the window is long enough for a
// verdict however fast this machine ran the rounds, then the verdict over
// everything seen.
const started = sampler.history()[0].time;
for (let waited = 0; waited < 5000; waited += 100) {
  const seen = sampler.history();
  if (waited >= 300 && seen.length >= 40 && seen[seen.length - 1].time - started >= 2500) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
sampler.stop();
const diagnosis = sampler.diagnose();
console.log(`
diagnose() over the ${diagnosis.evidence.window.samples} samples the Sampler took during the demo (the trim included):
`);
console.log(describeDiagnosis(diagnosis).join('\n'));
