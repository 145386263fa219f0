/**
 * One memory series (in-use, RSS, V8 heap…) over time, reduced to what a
 * verdict needs: its overall trend and the trend of its floor — the
 * troughs it returns to after each burst. A sawtooth whose troughs stay
 * level does not leak, however high its peaks; troughs that rise do.
 * @packageDocumentation
 */
import { heldGrowth, type HeldGrowth, type Reading } from './floors';
import { quantile, trend, type Trend } from './stats';

/**
 * Which samples make a series' floor:
 * - `'troughs'`: the series' troughs, the lowest sample between two peaks
 *   (a zigzag with a swing of {@link SeriesEvidence.swing}), less those a
 *   swing above the troughs on both sides (the series had not got back down).
 * - `'windows'`: fewer than 4 troughs (the series only rises, only falls, or
 *   is flat): the lowest sample of each of up to 40 equal runs of samples.
 * - `'full-gcs'` (V8's heap): the first sample after each full garbage
 *   collection, when their times are known: live objects only.
 * - `'gcs'` (V8's heap, full collection times unknown): the sample after each
 *   fall of `v8.used`, i.e. after any collection; between full collections
 *   these still count old objects that died, so they creep up.
 */
export type FloorMethod = 'troughs' | 'windows' | 'full-gcs' | 'gcs';

/** Floor points chosen by the caller instead of the troughs. */
export interface FloorChoice {
  method: FloorMethod;
  indices: number[];
}

/** The trend of a series' floor, in bytes and bytes per second. */
export interface FloorTrend extends Trend {
  /** Which samples the floor was fitted to, see {@link FloorMethod}. */
  method: FloorMethod;
  /** The fitted floor at the window's first sample, bytes (= `intercept`). */
  start: number;
  /** The fitted floor at the window's last sample, bytes. */
  end: number;
  /** `end − start`: how much the floor rose over the window, bytes (negative when it fell). */
  growth: number;
}

/** A series' numbers, as `diagnose()` reports them in its evidence. */
export interface SeriesEvidence {
  /** The last sample's value, bytes. */
  latest: number;
  /** The lowest sample, bytes. */
  min: number;
  /** The highest sample, bytes. */
  max: number;
  /**
   * Smallest fall or rise that counts as a swing between a peak and a trough,
   * bytes: a tenth of the spread between the series' 5th and 95th percentiles.
   */
  swing: number;
  /** Trend of every sample: `slope` in bytes per second, x in seconds since the window's first sample. */
  trend: Trend;
  /**
   * Trend of the floor (Theil–Sen, Mann–Kendall) over troughs, run minima or
   * full collections: a description of the whole window. The verdicts and
   * the rates their words quote come from `held` (see `leakPace`), which
   * does not follow the ramps of a sawtooth.
   */
  floor: FloorTrend;
  /** How far the series rose and did not come back: what the leak verdicts are made of. */
  held: HeldGrowth;
}

/** Readings beyond the samples (taken right after collections) and the collections that count as floors, in seconds from the window's start. */
export interface FloorEvents {
  readings: readonly Reading[];
  events: readonly number[];
  /**
   * The readings are live memory (after the Sampler's own full
   * collections): the floor is judged from them alone, the samples between
   * them (live memory plus garbage) left out.
   */
  exact?: boolean;
}

/** The analysis of a series plus the indices of the samples that sit at its floor. */
export interface SeriesAnalysis {
  evidence: SeriesEvidence;
  /** Indices of the samples within one `swing` of the fitted floor line. */
  atFloor: number[];
}

/** Fewer troughs than this and the floor comes from window minima instead. */
const MIN_TROUGHS = 4;
/** A swing is this share of the series' 5–95 % spread. */
const SWING_SHARE = 0.1;

/**
 * Indices of the troughs of `values`: a zigzag that confirms a trough once
 * the series has risen more than `swing` above it, and a peak once it has
 * fallen more than `swing` below it. The first sample is not a trough (the
 * series may have been rising already); a last trough that the series
 * stayed on (not still falling at the end) is.
 */
export function troughs(values: readonly number[], swing: number): number[] {
  const found: number[] = [];
  const n = values.length;
  if (n === 0) return found;
  let direction = 0; // 0 not yet known, 1 rising, -1 falling
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < n; i++) {
    const v = values[i];
    if (direction === 0) {
      if (v < values[lo]) lo = i;
      if (v > values[hi]) hi = i;
      if (v - values[lo] > swing) {
        // A low first sample may be mid-rise: only a fall before it makes it a trough.
        if (lo > 0) found.push(lo);
        direction = 1;
        hi = i;
      } else if (values[hi] - v > swing) {
        direction = -1;
        lo = i;
      }
    } else if (direction === 1) {
      if (v >= values[hi]) hi = i;
      else if (values[hi] - v > swing) {
        direction = -1;
        lo = i;
      }
    } else if (v < values[lo]) {
      lo = i;
    } else if (v - values[lo] > swing) {
      found.push(lo);
      direction = 1;
      hi = i;
    }
  }
  if (direction === -1 && lo < n - 1) found.push(lo);
  return found;
}

/**
 * Drops the troughs that sit more than `swing` above the troughs on both
 * sides, again until none does: the series did not get back to its floor
 * there (a burst still being freed when the next began, a sample taken too
 * early). Then the first and last trough, once each, against their one
 * neighbour: ends are not peeled again and again, or a steep rise would
 * lose one end point after another. A rising floor loses nothing inside,
 * as each trough is below the next; a level one loses its spikes evenly.
 */
export function dropRaisedTroughs(values: readonly number[], indices: readonly number[], swing: number): number[] {
  const raised = (kept: readonly number[], k: number): boolean => {
    const before = k > 0 ? values[kept[k - 1]] : Number.NEGATIVE_INFINITY;
    const after = k < kept.length - 1 ? values[kept[k + 1]] : Number.NEGATIVE_INFINITY;
    return values[kept[k]] > Math.max(before, after) + swing;
  };
  let kept = [...indices];
  for (let changed = true; changed && kept.length > 2; ) {
    const inner = kept.filter((_, k, all) => k === 0 || k === all.length - 1 || !raised(all, k));
    changed = inner.length < kept.length;
    kept = inner;
  }
  if (kept.length > 2) kept = kept.filter((_, k, all) => (k !== 0 && k !== all.length - 1) || !raised(all, k));
  return kept;
}

/**
 * Indices of the troughs the series reached after falling at least
 * `minFall` bytes, and at least a swing (a tenth of its 5–95 % spread):
 * where something was given back, e.g. Buffers freed by a collection.
 */
export function fallTimes(values: readonly number[], minFall: number): number[] {
  const swing = Math.max(minFall, SWING_SHARE * (quantile(values, 0.95) - quantile(values, 0.05)));
  return troughs(values, swing);
}

/** The index of the lowest value in each of `count` equal runs of samples. */
export function windowMinima(values: readonly number[], count: number): number[] {
  const n = values.length;
  const runs = Math.max(1, Math.min(count, n));
  const out: number[] = [];
  for (let w = 0; w < runs; w++) {
    const from = Math.floor((w * n) / runs);
    const to = Math.floor(((w + 1) * n) / runs);
    let best = from;
    for (let i = from + 1; i < to; i++) if (values[i] < values[best]) best = i;
    out.push(best);
  }
  return out;
}

/** At most `max` indices out of `indices`, evenly spread, first and last kept. */
export function thin(indices: readonly number[], max: number): number[] {
  if (indices.length <= max) return [...indices];
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(indices[Math.round((k * (indices.length - 1)) / (max - 1))]);
  return out;
}

function fit(seconds: readonly number[], values: readonly number[], indices: readonly number[]): Trend {
  return trend(
    indices.map((i) => seconds[i]),
    indices.map((i) => values[i]),
  );
}

function chooseFloor(values: readonly number[], swing: number): FloorChoice {
  const found = dropRaisedTroughs(values, troughs(values, swing), swing);
  if (found.length >= MIN_TROUGHS) return { method: 'troughs', indices: found };
  // Runs of two samples or more, at most 40 of them: enough points for a
  // trend test, while a run still spans a short dip.
  return { method: 'windows', indices: windowMinima(values, Math.max(3, Math.min(40, values.length >> 1))) };
}

/** The troughs of readings (a zigzag with a tenth of their 5–95 % spread as swing), less those raised above their neighbours. */
function troughReadings(readings: readonly Reading[]): Reading[] {
  const values = readings.map((r) => r.value);
  const swing = SWING_SHARE * (quantile(values, 0.95) - quantile(values, 0.05));
  return dropRaisedTroughs(values, troughs(values, swing), swing).map((i) => readings[i]);
}

/**
 * Analyses one series. `seconds[i]` is sample i's time in seconds since the
 * window's first sample; `maxPoints` bounds each fit's O(n²) cost; `floor`
 * replaces the troughs as floor points.
 */
export function analyzeSeries(
  seconds: readonly number[],
  values: readonly number[],
  maxPoints: number,
  floor?: FloorChoice,
  floorEvents: FloorEvents = { readings: [], events: [] },
): SeriesAnalysis {
  const n = values.length;
  const duration = n > 0 ? seconds[n - 1] : 0;
  const swing = SWING_SHARE * (quantile(values, 0.95) - quantile(values, 0.05));
  const all = Array.from({ length: n }, (_, i) => i);
  const { method, indices } = floor ?? chooseFloor(values, swing);
  const held = floorEvents.exact ? floorEvents.readings : values.map((value, i) => ({ at: seconds[i], value }));
  const floorFit = fit(seconds, values, thin(indices, maxPoints));
  const start = floorFit.intercept;
  const end = start + floorFit.slope * duration;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const atFloor: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v <= start + floorFit.slope * seconds[i] + swing) atFloor.push(i);
  }
  return {
    evidence: {
      latest: n > 0 ? values[n - 1] : Number.NaN,
      min,
      max,
      swing,
      trend: fit(seconds, values, thin(all, maxPoints)),
      floor: { ...floorFit, method, start, end, growth: end - start },
      held: heldGrowth({
        samples: held,
        afterCollections: floorEvents.readings,
        events: floorEvents.events,
        duration,
        exact: floorEvents.exact === true,
        ...(floorEvents.exact ? { troughs: troughReadings(held) } : {}),
      }),
    },
    atFloor,
  };
}
