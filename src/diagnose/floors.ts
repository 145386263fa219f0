/**
 * How far a memory series rose and kept it, and whether a collection
 * confirmed it. Memory is the live objects plus garbage not yet collected;
 * garbage only ever inflates a reading. So:
 * - the lowest reading in a stretch bounds from above what was live there;
 *   lows that rise from the first third of the window to the last mean
 *   memory that did not come back;
 * - a reading right after a full collection is (almost) live memory alone:
 *   a rise of those readings is confirmed — it survived collections;
 * - a rise after the last full collection is unconfirmed: garbage can
 *   explain it as long as it is no larger than what collections have been
 *   seen to give back.
 * Every low here is a value the series took, never a fitted one, so it is
 * never negative and never below the series' own minimum.
 * @packageDocumentation
 */
import { quantile, trend, type Trend } from './stats';

/** Per series: what stayed after collections, in bytes. */
export interface HeldGrowth {
  /** Lowest value in the first, middle and last third of the window (samples and readings after collections), bytes. */
  lows: [number, number, number];
  /** `lows[2] − lows[0]`: how far the series rose over the window and did not come back, bytes (negative when it fell). */
  rise: number;
  /** `lows[2] − lows[1]`: the part of the rise in the last two thirds; near 0 when growth has levelled off. */
  lateRise: number;
  /** Collections (the floor events used) in the first, middle and last third. */
  collections: [number, number, number];
  /** Readings right after collections (at most one per collection, the lower of the collection's own and the next sample's), oldest first. */
  confirmed: number;
  /**
   * Theil–Sen trend of the readings right after collections, slope in bytes
   * per second with Sen's 95 % interval; null with fewer than 3.
   */
  confirmedPace: Trend | null;
  /** The same over the last two thirds of the window; null with fewer than 3 there. */
  lateConfirmedPace: Trend | null;
  /**
   * How far the readings after collections in the last two thirds scatter
   * around their pace: the 90th percentile of their distances from its
   * line, bytes; null without `lateConfirmedPace`. Readings after
   * collections that lie on a line carry no garbage worth counting.
   */
  confirmedScatter: number | null;
  /** The last reading right after a collection, bytes, and when (seconds from the window's start); null without one. */
  lastConfirmed: { at: number; value: number } | null;
  /** How far the last third's low is above the last confirmed reading, bytes (0 when below): a rise no collection has confirmed yet. */
  unconfirmed: number;
  /**
   * The last confirmed reading less the lowest reading before it, bytes,
   * and the seconds between them: a lower bound of how much more is live
   * than was then (a reading right after a full collection is live memory;
   * any earlier reading was at least what was live then); null without a
   * confirmed reading after the window's first sixth.
   */
  confirmedGrowth: { bytes: number; seconds: number } | null;
  /** Theil–Sen trend of the lows of equal blocks of the window (6 to 24 blocks, every reading): the floor's pace without collections; null with fewer than 3 readings. */
  pace: Trend | null;
  /** The same over the blocks of the last two thirds: whether the floor still rises, unaffected by an early warm-up. */
  latePace: Trend | null;
  /** How far those lows scatter around `latePace`'s line: the 90th percentile of their distances, bytes; null without `latePace`. */
  lateBlockScatter: number | null;
  /**
   * With `exact` readings: Theil–Sen trend of the troughs they return to
   * over the last two thirds of the window (the lowest reading of each
   * swing of a working set held and dropped); null with fewer than 3, or
   * without `exact`. A block shorter than one swing holds no trough, so
   * lows of blocks climb the ramps of a working set that swings slower
   * than the blocks; its troughs do not.
   */
  lateTroughPace: Trend | null;
  /**
   * The highest sample less the lowest reading over the last two thirds of
   * the window, bytes: how far the series moved at all there; null with
   * fewer than 6 samples there.
   */
  lateBand: number | null;
  /** The largest fall the series made in the last two thirds of the window (a peak to a later low), bytes: what collections were recently seen to give back. */
  largestFall: number;
  /**
   * How high the series typically stands above its floor: the 90th
   * percentile of each sample's height above the floor's trend line over
   * the last two thirds of the window, bytes.
   * Garbage and work in flight; a low, even one read right after a
   * collection, can carry a good part of it.
   */
  amplitude: number;
  /**
   * Whether the series is the readings right after the Sampler's own full
   * collections (collectEveryMs) alone: live memory, whose swings are a
   * working set the program holds for a while and drops, not garbage.
   */
  exact: boolean;
}

/** A value at a time, seconds since the window's first sample. */
export interface Reading {
  at: number;
  value: number;
}

/** Fewest and most blocks whose lows the pace is fitted to. */
const MIN_BLOCKS = 6;
const MAX_BLOCKS = 24;

/** Fewest samples in the last two thirds for {@link HeldGrowth.lateBand}: as for a flat pace (MIN_FLAT_POINTS in findings.ts), a level claim needs some. */
const MIN_BAND_SAMPLES = 6;

/** The highest and the lowest value of readings (a loop: a Sampler's history may hold more than a spread call takes). */
const maxOf = (readings: readonly Reading[]): number => readings.reduce((m, r) => Math.max(m, r.value), Number.NEGATIVE_INFINITY);
const minOf = (readings: readonly Reading[]): number => readings.reduce((m, r) => Math.min(m, r.value), Number.POSITIVE_INFINITY);

/** Which third of the window `at` falls in (any unit, the same as `duration`); the last for a window of no length. */
export function thirdOf(at: number, duration: number): 0 | 1 | 2 {
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

/** The lowest reading in each of `count` equal spans of the window. */
function blockLows(readings: readonly Reading[], duration: number, count: number): Reading[] {
  const lows: (Reading | undefined)[] = new Array(count).fill(undefined);
  for (const r of readings) {
    const k = duration > 0 ? Math.min(count - 1, Math.max(0, Math.floor((count * r.at) / duration))) : 0;
    const low = lows[k];
    if (low === undefined || r.value < low.value) lows[k] = r;
  }
  return lows.filter((r): r is Reading => r !== undefined);
}

function paceOf(points: readonly Reading[]): Trend | null {
  if (points.length < 3) return null;
  return trend(
    points.map((r) => r.at),
    points.map((r) => r.value),
  );
}

/** Inputs of {@link heldGrowth}; times in seconds from the window's first sample. */
export interface HeldInputs {
  /** Sample times and values, oldest first. */
  samples: readonly Reading[];
  /** Readings taken right after collections (a Sampler's collection records). */
  afterCollections: readonly Reading[];
  /** When the collections that count as floors ended: full ones when known. */
  events: readonly number[];
  /** The window's duration. */
  duration: number;
  /** The readings after collections are live memory, and `samples` are those readings (see {@link HeldGrowth.exact}). */
  exact?: boolean;
  /** With `exact`: the troughs of those readings, oldest first (see {@link HeldGrowth.lateTroughPace}). */
  troughs?: readonly Reading[];
}

/** Readings right after each event: the lower of the event's own reading and the first sample after it. */
function confirmedReadings(input: HeldInputs): Reading[] {
  const out: Reading[] = [];
  const own = [...input.afterCollections].sort((a, b) => a.at - b.at);
  let s = 0;
  let o = 0;
  for (const at of [...input.events].sort((a, b) => a - b)) {
    while (s < input.samples.length && input.samples[s].at < at) s++;
    while (o < own.length && own[o].at < at) o++;
    const candidates: Reading[] = [];
    if (s < input.samples.length) candidates.push(input.samples[s]);
    if (o < own.length && own[o].at - at < 0.01) candidates.push({ at, value: own[o].value });
    if (candidates.length === 0) continue;
    const best = candidates.reduce((a, b) => (b.value < a.value ? b : a));
    if (out.length === 0 || out[out.length - 1].at !== best.at) out.push({ at: Math.max(at, 0), value: best.value });
  }
  return out;
}

/** The 90th percentile of the readings' distances from the pace's line. */
function scatterAround(readings: readonly Reading[], pace: Trend): number {
  return quantile(
    readings.map((r) => Math.abs(r.value - (pace.intercept + pace.slope * r.at))),
    0.9,
  );
}

/** The held growth of one series. */
export function heldGrowth(input: HeldInputs): HeldGrowth {
  const { duration } = input;
  const readings = [...input.samples, ...input.afterCollections];
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
  for (const e of input.events) collections[thirdOf(e, duration)]++;
  const confirmed = confirmedReadings(input);
  const lastConfirmed = confirmed.length > 0 ? confirmed[confirmed.length - 1] : null;
  const lateConfirmed = confirmed.filter((r) => r.at >= duration / 3);
  const lateConfirmedPace = paceOf(lateConfirmed);
  let confirmedGrowth: HeldGrowth['confirmedGrowth'] = null;
  if (lastConfirmed !== null && lastConfirmed.at >= duration / 6) {
    let low: Reading | null = null;
    for (const r of readings) if (r.at < lastConfirmed.at && (low === null || r.value < low.value)) low = r;
    if (low !== null) confirmedGrowth = { bytes: lastConfirmed.value - low.value, seconds: lastConfirmed.at - low.at };
  }
  const values = input.samples.map((r) => r.value);
  const blocks = Math.max(MIN_BLOCKS, Math.min(MAX_BLOCKS, Math.floor(values.length / 4)));
  const lowsOfBlocks = blockLows(readings, duration, blocks);
  const pace = paceOf(lowsOfBlocks);
  const lateLows = lowsOfBlocks.filter((r) => r.at >= duration / 3);
  const latePace = paceOf(lateLows);
  const recent = input.samples.filter((r) => r.at >= duration / 3);
  const lateReadings = readings.filter((r) => r.at >= duration / 3);
  const lateBand = recent.length < MIN_BAND_SAMPLES ? null : maxOf(recent) - minOf(lateReadings);
  const heights = pace === null ? [] : recent.map((r) => r.value - (pace.intercept + pace.slope * r.at));
  return {
    lows,
    rise: lows[2] - lows[0],
    lateRise: lows[2] - lows[1],
    collections,
    confirmed: confirmed.length,
    confirmedPace: paceOf(confirmed),
    lateConfirmedPace: lateConfirmedPace,
    confirmedScatter: lateConfirmedPace === null ? null : scatterAround(lateConfirmed, lateConfirmedPace),
    lastConfirmed,
    confirmedGrowth,
    unconfirmed: lastConfirmed === null ? 0 : Math.max(0, lows[2] - lastConfirmed.value),
    pace,
    latePace,
    lateBlockScatter: latePace === null ? null : scatterAround(lateLows, latePace),
    lateTroughPace: input.exact === true ? paceOf((input.troughs ?? []).filter((r) => r.at >= duration / 3)) : null,
    lateBand,
    largestFall: largestFall(values.slice(Math.floor(values.length / 3))),
    amplitude: heights.length > 0 ? Math.max(0, quantile(heights, 0.9)) : 0,
    exact: input.exact === true,
  };
}
