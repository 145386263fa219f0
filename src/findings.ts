/**
 * The findings a diagnosis scores — native leak, V8 leak, fragmentation —
 * each from its evidence and thresholds.
 * @packageDocumentation
 */
import type { Finding, FindingKind, LeakState } from './diagnose-types';
import type { SeriesEvidence } from './series';
import type { MemorySample } from './types';
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
 * Share of a rise that must fall in the window's last two thirds for the
 * growth to count as still going: a steady leak puts half of it there, a
 * warm-up that levelled off almost none.
 */
const STILL_RISING_SHARE = 0.15;
/**
 * Without a collection in the last third, a rise counts as held (not
 * garbage) only when it is this many times larger than any fall the series
 * made in the window: no collection was ever seen to give that much back.
 */
const RISE_OVER_FALLS = 1.5;

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

/** How much the series rose and kept: the larger of its rise over the thirds and its rise since the last collection. */
export function keptRise(series: SeriesEvidence): number {
  const h = series.held;
  return Math.max(h.rise, h.sinceLastCollection ?? Number.NEGATIVE_INFINITY);
}

/**
 * A leak: the series rose by at least `leakMinBytes` and did not come back
 * (its lows rose), it was still rising in the last two thirds of the
 * window, and the rise survived a collection — or is larger than anything
 * a collection was seen to give back.
 */
export function leakFinding(kind: FindingKind, series: SeriesEvidence, t: Thresholds, what: string, durationMs: number): Finding {
  const h = series.held;
  const kept = keptRise(series);
  const magnitude = thresholdScore(kept / t.leakMinBytes);
  const stillRising = kept > 0 ? thresholdScore(h.lateRise / (STILL_RISING_SHARE * kept)) : 0;
  const collectedAfter = h.collections[2] > 0;
  const overFalls = kept >= RISE_OVER_FALLS * h.largestFall;
  const survived = collectedAfter ? 1 : overFalls ? 0.6 : 0.35;
  const score = Math.min(magnitude, stillRising, survived);
  let state: LeakState;
  if (score >= 0.5) state = 'rising';
  else if (kept < t.leakMinBytes / 2) state = 'flat';
  else if (stillRising < 0.5) state = collectedAfter || h.collections[1] + h.collections[2] >= 2 ? 'levelled' : 'unclear';
  else state = 'unclear';
  const lows = `lows by thirds of the window ${h.lows.map((v) => formatMB(v)).join(' → ')}`;
  const since = h.sinceLastCollection === null ? '' : `; ${formatMB(h.sinceLastCollection)} more held since the last collection than before it`;
  const summary =
    `${what} ${kept >= 0 ? 'rose' : 'fell'} ${formatMB(Math.abs(kept))} and did not come back ` +
    `(${lows}${since}; ${formatRate(Math.max(0, kept) / Math.max(durationMs, 1), durationMs)}; ` +
    `collections by thirds ${h.collections.join('/')}; largest fall ${formatMB(h.largestFall)})`;
  return { kind, score, found: score >= 0.5, state, summary };
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
