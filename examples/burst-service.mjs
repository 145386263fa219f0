// The fragmentation story as a program that runs like a service, to watch
// from outside with the CLI (it samples nothing itself):
//
//   npx mallinfo run -- node examples/burst-service.mjs
//
// Every second a burst of requests allocates 10,000 Buffers of 50 KB
// (≈ 500 MB) over a few turns of the event loop and keeps 1 % of them (a
// cache) until the next burst; after BURSTS bursts (default 10) the
// service goes quiet for QUIET_MS (default 20 s), answering light traffic.
// In use stays at a few MB while RSS stays near 530 MB: while bursts keep
// coming that is headroom they take back, but through the quiet stretch it
// is freed memory kept resident for nothing: fragmentation, not a leak. At
// the CLI's default interval of 1 s, the run gives diagnose() the 20
// samples it needs for a verdict.
import { getGc } from '../lib/testing/gc.js';
import { allocationBurst } from './workloads/fragmentation.mjs';

const bursts = Number(process.env.BURSTS ?? 10);
const quietMs = Number(process.env.QUIET_MS ?? 20_000);
const everyMs = Number(process.env.EVERY_MS ?? 1000);
// A full collection after each burst stands in for the ones a busy server
// triggers anyway, so that freed Buffers go back to malloc at once.
const gc = getGc();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (let burst = 1; burst <= bursts; burst++) {
  const started = performance.now();
  const kept = await allocationBurst();
  gc();
  console.log(`burst ${burst}/${bursts}: 10,000 × 50 KB Buffers allocated, ${kept.length} kept until the next burst`);
  await sleep(Math.max(0, everyMs - (performance.now() - started)));
}
// Quiet: a few small requests a second, nothing like a burst.
const light = [];
for (const until = performance.now() + quietMs; performance.now() < until; ) {
  light.push(Buffer.alloc(4096));
  if (light.length > 50) light.length = 0;
  await sleep(100);
}
console.log(`quiet for ${quietMs / 1000} s: ${(quietMs / 1000) | 0} s with light traffic only`);
