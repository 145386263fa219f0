/**
 * How far a memory series rose and did not come back: the lowest values it
 * took in each third of the window, and the lowest it took since its last
 * collection against the lowest before. Every number here is a value the
 * series actually took, never a fitted one, so it is never negative and
 * never below the series' own minimum.
 *
 * Why this and not a trend test: memory is the live objects plus garbage
 * not yet collected. Garbage only inflates a reading, so the lowest reading
 * in a stretch is the best bound on what was live there; right after a
 * full collection a reading is (almost) live memory alone. If the series
 * never went back below level L after its last collection, while it had
 * been as low as P before it, at least L − P more is live than was then.
 * @packageDocumentation
 */

/** Per series: what stayed after collections, in bytes. */
export interface HeldGrowth {
  /** Lowest value in the first, middle and last third of the window (samples and readings after collections), bytes. */
  lows: [number, number, number];
  /** `lows[2] − lows[0]`: how far the series rose over the window and did not come back, bytes (negative when it fell). */
  rise: number;
  /** `lows[2] − lows[1]`: the part of the rise in the last two thirds; near 0 when growth has levelled off (warm-up, a cache filled). */
  lateRise: number;
  /**
   * Lowest value since the last collection minus the lowest before it,
   * bytes: a lower bound of how much more is live now than then; null with
   * no collection in the window after its first third.
   */
  sinceLastCollection: number | null;
  /** The largest fall the series made in the last two thirds of the window (a peak to a later low), bytes: what a collection was recently seen to give back. */
  largestFall: number;
  /** Collections (the floor events used) in the first, middle and last third. */
  collections: [number, number, number];
}

/** A value at a time, seconds since the window's first sample. */
export interface Reading {
  at: number;
  value: number;
}

function thirdOf(at: number, duration: number): 0 | 1 | 2 {
  if (duration <= 0) return 2;
  const k = Math.floor((3 * at) / duration);
  return k <= 0 ? 0 : k >= 2 ? 2 : 1;
}

/** The largest drop from a value to a later, lower one. */
export function largestFall(values: readonly number[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let fall = 0;
  for (const v of values) {
    if (v > peak) peak = v;
    else if (peak - v > fall) fall = peak - v;
  }
  return fall;
}

/**
 * The held growth of one series. `readings` are the samples' values and
 * any readings taken right after collections; `events` the times of the
 * collections that count as floors (full ones for V8's heap), seconds,
 * both from the window's first sample; `duration` the window, seconds.
 */
export function heldGrowth(readings: readonly Reading[], events: readonly number[], duration: number, sampleValues: readonly number[]): HeldGrowth {
  const lows: [number, number, number] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (const r of readings) {
    const k = thirdOf(r.at, duration);
    if (r.value < lows[k]) lows[k] = r.value;
  }
  // A third without a reading (a gap in sampling) takes its neighbour's low.
  if (!Number.isFinite(lows[1])) lows[1] = Math.min(lows[0], lows[2]);
  if (!Number.isFinite(lows[0])) lows[0] = lows[1];
  if (!Number.isFinite(lows[2])) lows[2] = lows[1];
  const collections: [number, number, number] = [0, 0, 0];
  for (const e of events) collections[thirdOf(e, duration)]++;
  let sinceLastCollection: number | null = null;
  const last = events.length > 0 ? Math.max(...events) : Number.NaN;
  if (last >= duration / 3) {
    let before = Number.POSITIVE_INFINITY;
    let after = Number.POSITIVE_INFINITY;
    for (const r of readings) {
      if (r.at < last) before = Math.min(before, r.value);
      else after = Math.min(after, r.value);
    }
    if (Number.isFinite(before) && Number.isFinite(after)) sinceLastCollection = after - before;
  }
  return {
    lows,
    rise: lows[2] - lows[0],
    lateRise: lows[2] - lows[1],
    sinceLastCollection,
    largestFall: largestFall(sampleValues.slice(Math.floor(sampleValues.length / 3))),
    collections,
  };
}
