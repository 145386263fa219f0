/**
 * The findings a diagnosis scores — native leak, V8 leak, fragmentation —
 * each from its evidence and thresholds.
 * @packageDocumentation
 */
import type { Finding, FindingKind, LeakState } from './diagnose-types';
import type { HeldGrowth } from './floors';
import type { SeriesEvidence } from './series';
import type { Trend } from './stats';
import type { MemorySample } from '../core/types';
import { formatMB, formatRate } from './words';

const MiB = 1024 * 1024;

/** The thresholds the findings are scored against (from the diagnose options). */
export interface Thresholds {
  leakMinBytes: number;
  fragmentationMinBytes: number;
  fragmentationMinShare: number;
}

/**
 * Scores a measurement against its threshold, given as measured / threshold:
 * r / 2 below it, 1 − 1 / (2r) at or past it — 0.5 exactly at the threshold.
 */
export function thresholdScore(ratio: number): number {
  if (!(ratio > 0)) return 0;
  return ratio >= 1 ? 1 - 0.5 / ratio : 0.5 * ratio;
}


/**
 * Without a collection in the last third, a rise counts as held (not
 * garbage) only when it is this many times larger than any fall the series
 * made in the window: no collection was ever seen to give that much back.
 */
export const RISE_OVER_FALLS = 1.5;

/** Indices of the first sample at or after each time in `times` (ms), each once. */
export function samplesAfter(samples: readonly MemorySample[], times: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  for (const time of [...times].sort((a, b) => a - b)) {
    while (i < samples.length && samples[i].time < time) i++;
    if (i === samples.length) break;
    if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/** Indices of the samples right after each fall of `v8.used`: after a garbage collection. */
export function samplesAfterFalls(samples: readonly MemorySample[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < samples.length; i++) if (samples[i].v8.used < samples[i - 1].v8.used) out.push(i);
  return out;
}

/** How much the series rose and kept: from the low of the window's first third to the low of its last. */
export function keptRise(series: SeriesEvidence): number {
  return series.held.rise;
}

/**
 * Whether V8's external memory (Buffers, ArrayBuffers) rose in step with a
 * native series: it kept at least half of that series' rise, so JavaScript
 * objects hold a good part of it.
 */
export function externalInStep(external: SeriesEvidence, series: SeriesEvidence): boolean {
  return keptRise(external) >= 0.5 * keptRise(series);
}

/**
 * The lows of the thirds sit about two thirds of the window apart when a
 * series rises steadily: the growth over the whole window is about this
 * many times the kept rise.
 */
const WINDOW_PER_RISE = 1.5;

/**
 * Share of the series' typical height above its floor (garbage, work in
 * flight) that a rise must exceed to count: lows, even right after a
 * collection, carry some of it.
 */
const NOISE_SHARE = 0.5;

/**
 * Whether the pace shows a level floor: the upper end of its 95 % interval,
 * over a window, under `leakMinBytes` (not a leak's pace; its point
 * estimate alone called 8 of 127 recorded leaks stable), but not below
 * −`leakMinBytes` (readings that surely fall that fast are garbage or a
 * working set draining, and a leak may rise under the drain: a held-out
 * zlib leak of 2.4 MB/min under 14 MB of Buffer churn was called stable
 * so), from 6 points or more.
 */
function surelyBelow(pace: Trend | null, seconds: number, leakMinBytes: number): boolean {
  // Sen's interval leans on a normal approximation: over fewer points it claims too much.
  if (pace === null || pace.points < MIN_FLAT_POINTS) return false;
  const high = pace.slopeHigh * seconds;
  return high < leakMinBytes && high > -leakMinBytes;
}

/** A band of readings narrower than this share of `leakMinBytes` through the last two thirds is level (see leakFinding). */
const QUIET_BAND_SHARE = 1 / 3;

/** Fewest points a pace needs before its interval may say "flat". */
const MIN_FLAT_POINTS = 6;

/**
 * A rise this share of `leakMinBytes` or more over the window keeps the
 * question open when the pace cannot be told flat: a leak of exactly
 * `leakMinBytes` per window, seen through noisy lows, shows a little less.
 */
const UNCLEAR_SHARE = 0.75;

/** How a leak finding reads its series. */
export interface LeakReading {
  /**
   * The series' floor is defined only right after full collections (V8's
   * heap, where dead objects pile up between them): its pace comes from
   * those readings alone, and without enough of them only a rise that more
   * than doubled it counts.
   */
  afterFullCollectionsOnly: boolean;
  /**
   * Whether any collection (of any kind) ran in the window's last third;
   * null when not known. A rise with no collection at all to survive may be
   * garbage nothing has looked at yet.
   */
  collectedLate: boolean | null;
}

/**
 * The pace a leak finding judges a series by, bytes per second: over the
 * readings after collections in the last two thirds of the window (for
 * V8's heap, after full collections over the whole window if too few),
 * else over the lows of blocks there; null when there are too few of
 * either. The words quote it too, so that the rate a summary gives is the
 * one the verdict rests on.
 */
export function leakPace(h: HeldGrowth, afterFullCollectionsOnly: boolean): Trend | null {
  // Live memory alone (the Sampler's own collections): a working set held
  // for a while and dropped only adds to a reading, as garbage does, so the
  // lows of blocks see through it where the readings themselves scatter.
  // The narrower of the two intervals is taken, chosen by its width, never
  // by what it says.
  // The troughs of a slow swing are a third such pace, from enough of them
  // for Sen's interval to mean what it says.
  if (h.exact && h.lateConfirmedPace !== null && h.latePace !== null) {
    const width = (p: Trend): number => p.slopeHigh - p.slopeLow;
    const troughs = h.lateTroughPace !== null && h.lateTroughPace.points >= MIN_FLAT_POINTS ? [h.lateTroughPace] : [];
    return [h.latePace, ...troughs].reduce((best, p) => (width(p) < width(best) ? p : best), h.lateConfirmedPace);
  }
  return h.lateConfirmedPace ?? (afterFullCollectionsOnly ? h.confirmedPace : null) ?? h.latePace;
}

/**
 * A leak, from what stayed after collections. Rising: over the last two
 * thirds of the window the floor rises at a leak's pace (`leakMinBytes` or
 * more over a window), surely (the lower end of Sen's 95 % interval at that
 * pace or more: the mirror of a flat claim, whose upper end must be below
 * it); the lows of the thirds rose (it did not come back) by more than half
 * the garbage the series carries; and a collection (or a fall of the series
 * itself) in the last third confirms it — without one, only a rise larger
 * than any recent fall counts, and weakly (score at most 0.6). Unclear: a
 * rise at a leak's pace that is not yet sure, not confirmed, or within the
 * garbage. Levelled: rose early, flat since. Flat: neither.
 */
export function leakFinding(kind: FindingKind, series: SeriesEvidence, t: Thresholds, what: string, durationMs: number, how: LeakReading): Finding {
  const h = series.held;
  const seconds = Math.max(durationMs, 1) / 1000;
  // V8's heap: a pace from readings after full collections only; with too
  // few, the samples say something only about a rise larger than the
  // garbage V8 lets pile up before a full collection (the heap doubling).
  const confirmedPace = h.lateConfirmedPace ?? (how.afterFullCollectionsOnly ? h.confirmedPace : null);
  const late = leakPace(h, how.afterFullCollectionsOnly);
  const growth = late === null ? 0 : late.slope * seconds;
  // The mirror of surelyBelow: the whole interval at a leak's pace or more.
  // A lower end merely above 0 let a scattered pace (a steady service's
  // full collections in three clusters) call a rise just past
  // leakMinBytes a leak.
  const sure = late !== null && late.slopeLow * seconds >= t.leakMinBytes;
  const cameBack = h.rise > 0 && h.lateRise > 0;
  // The garbage a floor may carry: what the readings after collections
  // scatter around their own line when the pace comes from them, else what
  // the samples stand above their floor.
  let noise = h.amplitude;
  // Over live-memory readings the lows of the thirds are lows of a working
  // set, not of garbage: what may inflate them is what the lows of blocks
  // scatter by, not the working set's height above them.
  if (h.exact && h.lateBlockScatter !== null) noise = h.lateBlockScatter;
  else if (late !== null && late === h.lateConfirmedPace && h.confirmedScatter !== null) noise = h.confirmedScatter;
  // Over live-memory readings, a flat claim may rest on either pace (each
  // is unbiased for a steady working set).
  const flatExact =
    h.exact &&
    (surelyBelow(h.lateConfirmedPace, seconds, t.leakMinBytes) || surelyBelow(h.latePace, seconds, t.leakMinBytes) || surelyBelow(h.lateTroughPace, seconds, t.leakMinBytes));
  // A series that barely moved through the last two thirds has a flat
  // floor however few its blocks: garbage only adds to a reading, so live
  // memory rising by a leak's share there (2/3 of leakMinBytes) would lift
  // every reading unless collections gave back garbage at the same pace,
  // which would show as falls wider than the band.
  const quietLevel = h.lateBand !== null && h.lateBand < QUIET_BAND_SHARE * t.leakMinBytes;
  // Over live-memory readings, the lows of the thirds are troughs of the
  // working set, which vary with where its swings fall: lows that did not
  // rise are evidence of a level floor only where the lows of blocks
  // scatter less than a leak adds over the window. A working set swinging
  // 4–20 MB left troughs 1.5 MB apart by chance, and a leak of 3.3 MB/min
  // under it was called stable at confidence 1. (Passive lows carry
  // garbage too, but blocks shorter than a sawtooth's period scatter
  // without a leak: there the rule cost 15 right verdicts of 825 and
  // turned no leak from stable.)
  const lowsScatter = h.exact ? (h.lateBlockScatter ?? 0) : 0;
  const beyondNoise = h.rise >= NOISE_SHARE * noise;
  const collectedLately = h.lastConfirmed !== null && h.lastConfirmed.at >= (2 * seconds) / 3;
  // One of V8's own collections is weak proof: what was allocated while it
  // marked incrementally survives it (black allocation), so its reading may
  // hold a burst of garbage. Passive readings confirm a rise that
  // collections have given back as much of before only when two or more
  // floor events fall in the last third (a buffer sawtooth read 19 MB
  // after one collection, 3 MB after the next). Floor events are the
  // collections and, for a native series, its own falls: a fall found
  // right after a collection counts as a second event, though it is the
  // same one seen again.
  const overFalls = h.rise >= RISE_OVER_FALLS * h.largestFall;
  const confirmed = collectedLately && (h.exact || h.collections[2] >= 2 || overFalls);
  // Without a pace after full collections, V8's samples count only for a
  // rise that a full collection confirmed (at a leak's pace), or one that
  // more than doubled the heap.
  const cg = h.confirmedGrowth;
  const confirmedByFull = how.afterFullCollectionsOnly && cg !== null && cg.seconds > 0 && (cg.bytes / cg.seconds) * seconds >= t.leakMinBytes && cg.bytes >= t.leakMinBytes;
  const garbageBound = how.afterFullCollectionsOnly && confirmedPace === null && !confirmedByFull ? Math.max(h.lows[0], t.leakMinBytes) : 0;
  let score = 0;
  // A growth read right after full collections is live memory: no garbage to discount.
  const plainCounts = overFalls && how.collectedLate !== false;
  if (late !== null && sure && cameBack && (beyondNoise || confirmedByFull) && h.rise >= garbageBound && (confirmed || plainCounts || confirmedByFull)) {
    const weak = !confirmed || (how.afterFullCollectionsOnly && confirmedPace === null);
    score = Math.min(thresholdScore(growth / t.leakMinBytes), weak ? 0.6 : 1);
  }
  let state: LeakState;
  let why: string | undefined;
  if (score >= 0.5) state = 'rising';
  else if (
    // V8's samples alone (no pace after full collections) are garbage until a full collection says otherwise:
    // only a rise of a leak's size leaves the question open.
    // Flat lows are evidence too: garbage only adds to a reading, so live
    // memory cannot rise for long under lows that stay level.
    !surelyBelow(late, seconds, t.leakMinBytes) &&
    !surelyBelow(h.latePace, seconds, t.leakMinBytes) &&
    !flatExact &&
    !quietLevel &&
    (WINDOW_PER_RISE * h.rise >= (how.afterFullCollectionsOnly && confirmedPace === null ? t.leakMinBytes : UNCLEAR_SHARE * t.leakMinBytes) || lowsScatter >= t.leakMinBytes)
  ) {
    state = 'unclear';
    if (WINDOW_PER_RISE * h.rise < UNCLEAR_SHARE * t.leakMinBytes)
      why = `its lows scatter by ${formatMB(lowsScatter)}, more than the ${formatMB(t.leakMinBytes)} over a window a leak verdict needs (leakMinBytes), so that they did not rise says nothing yet`;
    else if (WINDOW_PER_RISE * h.rise < t.leakMinBytes) why = `that is still below the ${formatMB(t.leakMinBytes)} over a window a leak verdict needs (leakMinBytes)`;
    else if (how.afterFullCollectionsOnly && confirmedPace === null && !confirmedByFull)
      why = 'no full garbage collection has confirmed it: dead objects pile up in the heap until one runs';
    else if (!sure && late !== null && late.slopeLow > 0)
      why = `its pace may still be under a leak's: its 95 % interval reaches down to ${formatRate(late.slopeLow / 1000, durationMs)}, and a leak verdict needs all of it at ${formatRate(t.leakMinBytes / durationMs, durationMs)} or more (leakMinBytes over the window)`;
    else if (!sure) why = `its floor swings too much to tell yet whether it still rises (it stands up to ${formatMB(h.amplitude)} above it)`;
    else if (!(beyondNoise || confirmedByFull)) why = `that is within the ${formatMB(noise)} of garbage and work in flight its floor carries`;
    else if (collectedLately) why = 'nothing confirms it yet: only one collection since, which may keep what was allocated while it ran, and collections have given back as much before';
    else why = 'nothing confirms it yet: no collection since, and collections have given back as much before';
  } else state = WINDOW_PER_RISE * keptRise(series) >= t.leakMinBytes ? 'levelled' : 'flat';
  const lows = `lows by thirds of the window ${h.lows.map((v) => formatMB(v)).join(' → ')}`;
  const pace = (p: Trend | null): string =>
    p === null ? 'unknown' : `${formatRate(p.slope / 1000, durationMs)} (95 % ${formatRate(p.slopeLow / 1000, durationMs)} to ${formatRate(p.slopeHigh / 1000, durationMs)})`;
  const summary =
    `${what}: ${lows}; floor pace over the last two thirds ${pace(late)} ` +
    `(${h.confirmed} readings after collections${h.unconfirmed > 0 ? `, ${formatMB(h.unconfirmed)} above the last` : ''}); ` +
    `typical height above the floor ${formatMB(h.amplitude)}; largest recent fall ${formatMB(h.largestFall)}`;
  return { kind, score, found: score >= 0.5, state, ...(why ? { why } : {}), summary };
}

/** RSS drops of 8 MiB or 10 % between two samples that in-use and free memory do not explain: trims. */
export function trimIndices(samples: readonly MemorySample[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const drop = b.process!.resident - a.process!.resident;
    if (drop >= -Math.max(8 * MiB, 0.1 * a.process!.resident)) continue;
    if (b.heap!.inUse - a.heap!.inUse > drop / 2 && b.heap!.free - a.heap!.free > drop / 2) out.push(i);
  }
  return out;
}

/** How many trims {@link trimIndices} sees. */
export function countTrims(samples: readonly MemorySample[]): number {
  return trimIndices(samples).length;
}
