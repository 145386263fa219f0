// Seeded randomness for the corpus: the same seed plans the same runs and
// drives the same choices inside each workload.

/** mulberry32: a small, fast, seeded generator of floats in [0, 1) (the workloads' own). */
export { seededRandom } from '../../examples/workloads/sawtooth.mjs';
import { seededRandom } from '../../examples/workloads/sawtooth.mjs';

/** Helpers over one generator: uniform, log-uniform, integers, choices. */
export function draws(random) {
  const uniform = (lo, hi) => lo + (hi - lo) * random();
  return {
    random,
    uniform,
    /** Log-uniform in [lo, hi]: as many small values as large ones per decade (rates, sizes). */
    logUniform: (lo, hi) => Math.exp(uniform(Math.log(lo), Math.log(hi))),
    int: (lo, hi) => Math.floor(uniform(lo, hi + 1)),
    pick: (items) => items[Math.floor(random() * items.length)],
    chance: (p) => random() < p,
  };
}

/** murmur3's 32-bit finalizer: every input bit flips about half the output bits. */
function mix32(x) {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A seed derived from a base seed and an index (so runs can be added
 * without changing earlier ones). The base is mixed on its own before the
 * index joins it: combining them first (as an earlier version did) gave
 * bases close together the same run seeds at shifted indices (seeds 21 and
 * 23 shared 64 of 66).
 */
export function deriveSeed(base, index) {
  return mix32((mix32(base ^ 0x9e3779b9) + Math.imul(index + 1, 0x9e3779b9)) >>> 0);
}
