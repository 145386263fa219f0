/**
 * Robust statistics for leak checks: a few readings, some of them with a
 * one-off jump (a JIT compilation, an arena created by a helper thread),
 * must not look like growth; a steady climb must.
 * @packageDocumentation
 */

/** The median of `values` (NaN for none). */
export function median(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The Theil–Sen slope of `ys` over `xs`: the median of the slopes between
 * every pair of points. Unlike a least-squares fit, a single jump between
 * two readings moves it little, while a steady climb gives its full rate.
 */
export function theilSenSlope(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      if (xs[j] !== xs[i]) slopes.push((ys[j] - ys[i]) / (xs[j] - xs[i]));
    }
  }
  return median(slopes);
}
