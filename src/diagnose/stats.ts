/**
 * Robust statistics for memory series: Theil–Sen slopes, the Mann–Kendall
 * trend test and quantiles. Pure functions over plain arrays, no I/O.
 * No maintained npm package offers Theil–Sen with Sen's confidence interval
 * and Mann–Kendall with tie correction together, so they are written here,
 * after Sen (1968) and Gilbert, "Statistical Methods for Environmental
 * Pollution Monitoring" (1987), ch. 16.
 * @packageDocumentation
 */

/** A straight-line trend with its uncertainty. */
export interface Trend {
  /** How many points the trend was fitted to. */
  points: number;
  /** Theil–Sen slope: the median of the slopes between every pair of points (units of y per unit of x). */
  slope: number;
  /** Lower end of the slope's 95 % confidence interval (Sen's method). */
  slopeLow: number;
  /** Upper end of the slope's 95 % confidence interval (Sen's method). */
  slopeHigh: number;
  /** The fitted line's y at x = 0: median of y − slope × x. */
  intercept: number;
  /** Kendall's tau-a between x and y, from −1 (always falling) to 1 (always rising). */
  tau: number;
  /**
   * Mann–Kendall one-sided p-value for a rise: the probability that a series
   * without trend rises at least this consistently (normal approximation,
   * tie-corrected, with continuity correction). Small means a real rise.
   */
  pValue: number;
}

/**
 * Scratch space reused across calls: a typed array's backing store comes
 * from malloc, so allocating one per call would be slow, and would add to
 * the very numbers being diagnosed. Each grows to the largest size needed.
 */
let pairScratch = new Float64Array(0);
let valueScratch = new Float64Array(0);

function pairSlopes(n: number): Float64Array {
  if (pairScratch.length < n) pairScratch = new Float64Array(Math.max(n, 2 * pairScratch.length));
  return pairScratch.subarray(0, n);
}

/** `values` copied into the shared value scratch (valid until the next call). */
function valuesCopy(values: readonly number[], n = values.length): Float64Array {
  if (valueScratch.length < n) valueScratch = new Float64Array(Math.max(n, 2 * valueScratch.length));
  const out = valueScratch.subarray(0, n);
  for (let i = 0; i < n; i++) out[i] = values[i];
  return out;
}

/** z such that Φ(z) = 0.975: the two-sided 95 % bound. */
const Z_975 = 1.959963984540054;

/** The standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfcc (Chebyshev fit): fractional error < 1.2e-7 everywhere.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The k-th smallest (0-based) of `values`, reordering `values` in place (quickselect, O(n)). */
export function select(values: Float64Array | number[], k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    // Median of three as pivot keeps sorted input linear.
    const mid = (lo + hi) >> 1;
    const a = values[lo];
    const b = values[mid];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** The q-quantile (0 ≤ q ≤ 1) of `values` with linear interpolation (type 7, like R's default); NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const copy = valuesCopy(values);
  const position = q * (copy.length - 1);
  const below = Math.floor(position);
  const low = select(copy, below);
  if (below === position) return low;
  // After select, everything above `below` is >= low: the next order statistic is their minimum.
  let next = Number.POSITIVE_INFINITY;
  for (let i = below + 1; i < copy.length; i++) if (copy[i] < next) next = copy[i];
  return low + (next - low) * (position - below);
}

/** The median of `values`; NaN when empty. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Variance of the Mann–Kendall S under no trend, corrected for tied y values. */
function kendallVariance(ys: readonly number[], n: number): number {
  let variance = n * (n - 1) * (2 * n + 5);
  const sorted = valuesCopy(ys, n).sort();
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const t = j - i;
    if (t > 1) variance -= t * (t - 1) * (2 * t + 5);
    i = j;
  }
  return variance / 18;
}

/**
 * Fits a trend to points (xs[i], ys[i]), xs ascending: the Theil–Sen slope
 * with Sen's 95 % confidence interval, and the Mann–Kendall test of a rise.
 * O(n²) time and memory in the number of points: callers bound n.
 * Fewer than two points give a flat trend with pValue 1.
 */
export function trend(xs: readonly number[], ys: readonly number[]): Trend {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) {
    const y = n === 1 ? ys[0] : 0;
    return { points: n, slope: 0, slopeLow: 0, slopeHigh: 0, intercept: y, tau: 0, pValue: 1 };
  }
  const slopes = pairSlopes((n * (n - 1)) / 2);
  let count = 0;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = xs[i];
    const yi = ys[i];
    for (let j = i + 1; j < n; j++) {
      const dy = ys[j] - yi;
      s += dy > 0 ? 1 : dy < 0 ? -1 : 0;
      const dx = xs[j] - xi;
      if (dx !== 0) slopes[count++] = dy / dx;
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const variance = kendallVariance(ys, n);
  const sd = Math.sqrt(variance);
  const z = s === 0 ? 0 : (s - Math.sign(s)) / sd;
  const used = slopes.subarray(0, count);
  let slope = 0;
  let slopeLow = 0;
  let slopeHigh = 0;
  if (count > 0) {
    slope = count % 2 ? select(used, count >> 1) : (select(used, count / 2 - 1) + select(used, count / 2)) / 2;
    // Sen (1968): the bounds are the order statistics (N ∓ C)/2 of the pairwise slopes, C = z × sd(S).
    const c = Z_975 * sd;
    const lower = Math.max(0, Math.min(count - 1, Math.floor((count - c) / 2)));
    const upper = Math.max(0, Math.min(count - 1, Math.ceil((count + c) / 2)));
    slopeLow = select(used, lower);
    slopeHigh = select(used, upper);
  }
  const residuals = valuesCopy(ys, n);
  for (let i = 0; i < n; i++) residuals[i] -= slope * xs[i];
  const intercept = n % 2 ? select(residuals, n >> 1) : (select(residuals, n / 2 - 1) + select(residuals, n / 2)) / 2;
  // All ties: S is 0 whatever the order, so no rise at all.
  const pValue = sd === 0 ? 1 : 1 - normalCdf(z);
  return { points: n, slope, slopeLow, slopeHigh, intercept, tau: s / pairs, pValue };
}
