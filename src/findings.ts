/**
 * The three findings a diagnosis scores — native leak, V8 leak,
 * fragmentation — each from its evidence and thresholds.
 * @packageDocumentation
 */
import type { Finding, FindingKind, UnexplainedMemory } from './diagnose-types';
import type { SeriesEvidence } from './series';
import { median } from './stats';
import type { MemorySample } from './types';

const MiB = 1024 * 1024;
const mb = (bytes: number): string => (bytes / MiB).toFixed(1);

/** The thresholds the findings are scored against (from the diagnose options). */
export interface Thresholds {
  leakMinBytes: number;
  significance: number;
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
 * Garbage collections a leak must have survived: memory that rises with no
 * collection in between may be garbage not yet collected.
 */
export const MIN_GCS = 3;

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

/**
 * A leak: the series' floor rises significantly (Mann–Kendall), by enough
 * bytes, across enough garbage collections (`gcs`: those that count).
 */
export function leakFinding(kind: FindingKind, series: SeriesEvidence, gcs: number, t: Thresholds, what: string): Finding {
  const floor = series.floor;
  const significance = thresholdScore(t.significance / Math.max(floor.pValue, Number.MIN_VALUE));
  const magnitude = thresholdScore(floor.growth / t.leakMinBytes);
  const collected = thresholdScore(gcs / MIN_GCS);
  const score = Math.min(significance, magnitude, collected);
  const summary =
    `${what} floor ${floor.growth >= 0 ? 'rose' : 'fell'} ${mb(Math.abs(floor.growth))} MB over the window ` +
    `(${mb(floor.slope * 3600)} MB/hour, Theil–Sen over ${floor.points} ${floor.method}; Mann–Kendall p = ${floor.pValue.toPrecision(2)}; ` +
    `across ${gcs} ${kind === 'v8-leak' && series.floor.method === 'full-gcs' ? 'full ' : ''}garbage collection${gcs === 1 ? '' : 's'})`;
  return { kind, score, found: score >= 0.5, summary };
}

function secondHighest(values: readonly number[]): number {
  if (values.length < 2) return values.length === 1 ? values[0] : Number.NaN;
  let first = Number.NEGATIVE_INFINITY;
  let second = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v > first) [first, second] = [v, first];
    else if (v > second) second = v;
  }
  return second;
}

const anon = (s: MemorySample): number => s.process!.resident - s.process!.shared;
const held = (s: MemorySample): number => anon(s) - s.heap!.inUse - s.v8.physical;

/** Resident memory neither in-use nor V8 explains, at the in-use floor; samples need `heap` and `process`. */
export function unexplainedMemory(samples: readonly MemorySample[], atFloor: readonly number[]): UnexplainedMemory {
  const floorSamples = atFloor.map((i) => samples[i]);
  const heldAtFloor = floorSamples.map(held);
  const atFloorHeld = median(heldAtFloor);
  const peak = secondHighest(heldAtFloor);
  const last = samples[samples.length - 1];
  return {
    latest: held(last),
    atFloor: atFloorHeld,
    shareOfResident: atFloorHeld / median(floorSamples.map(anon)),
    peak,
    peakShare: peak / anon(floorSamples[heldAtFloor.indexOf(peak)]),
    free: median(floorSamples.map((s) => s.heap!.free)),
    trimEstimate: Math.max(0, Math.min(held(last), last.heap!.free)),
  };
}

/**
 * Fragmentation: the allocator keeps freed memory resident at the in-use
 * floor — or kept it resident earlier in the window and still holds it as
 * free bytes (a trim returned the pages; the next burst takes them again).
 */
export function fragmentationFinding(u: UnexplainedMemory, t: Thresholds): Finding {
  const bytes = (v: number): number => thresholdScore(v / t.fragmentationMinBytes);
  const share = (v: number): number => thresholdScore(v / t.fragmentationMinShare);
  const residentNow = Math.min(bytes(u.atFloor), share(u.shareOfResident));
  const keptSinceTrim = Math.min(bytes(Math.min(u.free, u.peak)), share(u.peakShare));
  const score = Math.max(residentNow, keptSinceTrim);
  const summary =
    `the allocator keeps ${mb(u.atFloor)} MB resident that neither the program nor V8 uses ` +
    `(${(100 * u.shareOfResident).toFixed(0)} % of anonymous RSS at the in-use floor, up to ${mb(u.peak)} MB), ` +
    `with ${mb(u.free)} MB free in its arenas`;
  return { kind: 'fragmentation', score, found: score >= 0.5, summary };
}

/** RSS drops of 8 MiB or 10 % between two samples that in-use and free memory do not explain: trims. */
export function countTrims(samples: readonly MemorySample[]): number {
  let trims = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const drop = b.process!.resident - a.process!.resident;
    if (drop >= -Math.max(8 * MiB, 0.1 * a.process!.resident)) continue;
    if (b.heap!.inUse - a.heap!.inUse > drop / 2 && b.heap!.free - a.heap!.free > drop / 2) trims++;
  }
  return trims;
}
