// Which runs to make: families in turn, each run with its own seed, from
// which its parameters, duration and sampling interval are drawn.
import { families } from './families/index.mjs';
import { deriveSeed, draws, seededRandom } from './random.mjs';

/** Families sampled every 100 ms (the rest at 250 ms; long runs at 1 s). */
const FAST_FAMILIES = new Set(['arraybuffer-leak', 'closure-leak', 'buffer-sawtooth', 'http-keep-1-in-n']);
/** Families worth watching for minutes (thinned later to 5–10 s intervals). */
const LONG_FAMILIES = ['buffer-leak-churn', 'string-leak', 'idle', 'http-service-steady', 'bounded-buffer-cache', 'story-burst-then-idle', 'map-entry-leak', 'buffer-sawtooth', 'fastify-service-steady', 'worker-buffer-leak', 'warmup-cache', 'arraybuffer-leak'];
const MiB_PER_MIN_FLOOR = 4; // a leak must build at least this many MiB over its run, so it can be verified

const isLeak = (label) => label === 'native-leak' || label === 'v8-leak';

/** Seconds of sampling: most 30–55 s, some 20–30 s, some 60–90 s (leaks more often long). */
function drawDurationMs(d, label) {
  const r = d.random();
  const longShare = isLeak(label) ? 0.35 : 0.15;
  if (r < longShare) return Math.round(d.uniform(60, 90)) * 1000;
  if (r < longShare + 0.25) return Math.round(d.uniform(20, 30)) * 1000;
  return Math.round(d.uniform(30, 55)) * 1000;
}

/** Leaks slow enough to build less than MiB_PER_MIN_FLOOR over the run are sped up to it. */
function atLeastFloor(params, durationMs) {
  if (params.leakMBperMin === undefined) return params;
  const floor = MiB_PER_MIN_FLOOR / (durationMs / 60_000);
  return { ...params, leakMBperMin: Number(Math.max(params.leakMBperMin, floor).toFixed(2)) };
}

/** A stable and a fragmentation run go on for a few seconds after the trim (see verify.mjs). */
const continueMsFor = (family, params) =>
  family.label === 'stable' || family.label === 'fragmentation' ? (family.continueMs?.(params) ?? 4000) : 0;

/**
 * `runs` ordinary runs over `familyNames` in turn, then `longRuns` runs of
 * 200–300 s at 1 s over the long families. Run i's seed derives from
 * `seed` and i, so a plan is the same every time.
 */
export function plan({ seed, runs, longRuns = 0, familyNames = Object.keys(families) }) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const name = familyNames[i % familyNames.length];
    const runSeed = deriveSeed(seed, i);
    const d = draws(seededRandom(runSeed));
    const { label } = families[name];
    const durationMs = drawDurationMs(d, label);
    const intervalMs = FAST_FAMILIES.has(name) ? 100 : 250;
    out.push({ family: name, label, seed: runSeed, durationMs, intervalMs, params: atLeastFloor(families[name].params(d), durationMs) });
    out[out.length - 1].continueMs = continueMsFor(families[name], out[out.length - 1].params);
  }
  const longNames = LONG_FAMILIES.filter((n) => familyNames.includes(n));
  for (let i = 0; i < longRuns && longNames.length > 0; i++) {
    const name = longNames[i % longNames.length];
    const runSeed = deriveSeed(seed ^ 0x5bd1e995, i);
    const d = draws(seededRandom(runSeed));
    const { label } = families[name];
    const durationMs = Math.round(d.uniform(200, 300)) * 1000;
    let params = families[name].params(d);
    // Slow leaks over minutes: 1–6 MB/min, the hardest case for a sampler every 5–10 s.
    if (params.leakMBperMin !== undefined) params = { ...params, leakMBperMin: Number(d.uniform(1, 6).toFixed(2)) };
    out.push({ family: name, label, seed: runSeed, durationMs, intervalMs: 1000, params: atLeastFloor(params, durationMs), long: true });
    out[out.length - 1].continueMs = continueMsFor(families[name], out[out.length - 1].params);
  }
  return out;
}
