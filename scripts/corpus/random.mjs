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

/** A seed derived from a base seed and an index (so runs can be added without changing earlier ones). */
export function deriveSeed(base, index) {
  let h = (base ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
