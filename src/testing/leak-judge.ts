/**
 * The verdict of a leak check, from whether growth continues rather than
 * from how much there was. A leak grows linearly with the calls: at the same
 * rate in the last rounds of an attempt as in the first, in a longer attempt
 * as in a shorter one. Warm-up (caches filling, V8 compiling and optimising,
 * connection pools, lazily created objects) grows fast at first and then
 * levels off. So a heap counts as leaking only if, in every judged attempt,
 * it grew faster than the tolerance over the whole attempt (with 95 %
 * confidence, from the scatter of its readings) AND over its last half, and at nearly the rate per iteration of the judged attempt before
 * (which had half the calls: twice the calls, twice the memory). An attempt whose
 * growth fades (its last half at less than half the rate of its first half)
 * is warm-up: it is made again, within `maxWarmup` calls.
 * @packageDocumentation
 */
import type { LeakTolerance } from './leak-options';
import type { LeakKind } from './leak-report';
import type { LeakAttempt } from './leak-types';

/** Which heaps are still suspect after some attempts. */
export interface Suspects {
  native: boolean;
  v8: boolean;
}

/** How one heap grew in one attempt. */
export interface HeapGrowth {
  /** Faster than the tolerance over the attempt (the low end of its 95 % confidence interval too) and over its last half. */
  grows: boolean;
  /** Grows, but its last half at less than half the rate of its first: a warm-up levelling off. */
  fades: boolean;
}

/** Rounds below which an attempt is not split into halves: each half would be one or two readings. */
const MIN_ROUNDS_FOR_HALVES = 4;

type Heap = keyof Suspects;

function rateOf(attempt: LeakAttempt, heap: Heap): number | null {
  return heap === 'native' ? attempt.bytesPerIteration.native : attempt.bytesPerIteration.v8;
}

/** How `heap` grew in `attempt` against `tolerance` bytes per iteration. */
export function heapGrowth(attempt: LeakAttempt, heap: Heap, tolerance: number): HeapGrowth {
  const rate = rateOf(attempt, heap);
  if (rate === null || !(rate > tolerance)) return { grows: false, fades: false };
  // Noise that the readings cannot tell from the tolerance is not growth (HTTP GETs: V8 at 20-40 B
  // per call, ±100 over 200 calls, at a 32 B tolerance).
  const low = attempt.lowBytesPerIteration[heap];
  if (low !== null && !(low > tolerance)) return { grows: false, fades: false };
  if (attempt.rounds < MIN_ROUNDS_FOR_HALVES) return { grows: true, fades: false };
  const first = attempt.firstHalf[heap];
  const last = attempt.lastHalf[heap];
  if (first === null || last === null) return { grows: true, fades: false };
  if (!(last > tolerance)) return { grows: false, fades: false };
  return { grows: true, fades: last < first / 2 };
}

/** What the newest attempt says. */
export type AttemptVerdict =
  /** No suspect heap grows: the check passes. */
  | 'steady'
  /** Every suspect heap that grows is fading: warm-up, make the attempt again (if `maxWarmup` allows). */
  | 'fading'
  /** A suspect heap grows steadily: judge the attempt. */
  | 'growing';

/**
 * V8 keeps bookkeeping for its heap in malloc'd memory (marking bitmaps,
 * remembered sets, page headers): about 0.8 % of the heap's growth (842 B
 * per call next to a 100 KB per call V8 leak, measured). Native growth below
 * this fraction of V8's, with no ArrayBuffer growth to explain it, is that.
 */
export const V8_BOOKKEEPING = 1 / 50;

function isV8Bookkeeping(attempt: LeakAttempt): boolean {
  const { native, v8, external } = attempt.bytesPerIteration;
  return native !== null && v8 > 0 && native < v8 * V8_BOOKKEEPING && external < native / 2;
}

/** Reads the newest attempt: clears the heaps that did not grow in it from `suspects`, and says what it saw. */
export function readAttempt(suspects: Suspects, attempt: LeakAttempt, tolerance: Required<LeakTolerance>): AttemptVerdict {
  const native = isV8Bookkeeping(attempt) ? { grows: false, fades: false } : heapGrowth(attempt, 'native', tolerance.native);
  const v8 = heapGrowth(attempt, 'v8', tolerance.v8);
  suspects.native &&= native.grows;
  suspects.v8 &&= v8.grows;
  if (!suspects.native && !suspects.v8) return 'steady';
  const fades = (!suspects.native || native.fades) && (!suspects.v8 || v8.fades);
  return fades ? 'fading' : 'growing';
}

/**
 * A leak's rate per iteration stays when the calls double; a warm-up's tail
 * falls (measured on HTTP GETs, V8's heap: 140, 94, 61 B/iteration over
 * 200, 400, 800 calls, ratios 0.65–0.78). A rate kept to within this
 * fraction counts as the same rate; a 1 KB per call leak keeps 0.9–1.1.
 */
export const RATE_KEPT = 0.8;

function keptRate(attempt: LeakAttempt, previous: LeakAttempt | undefined, heap: Heap): boolean {
  if (previous === undefined) return true;
  const rate = rateOf(attempt, heap);
  const before = rateOf(previous, heap);
  return rate !== null && (before === null || rate >= RATE_KEPT * before);
}

/**
 * Judges the newest attempt, which {@link readAttempt} found growing, against
 * the judged attempt before it: clears from `suspects` the heaps whose rate
 * per iteration fell below {@link RATE_KEPT} of the rate then (growth that
 * slows down as the calls add up is not a leak). Returns whether any heap is
 * still suspect.
 */
export function judge(suspects: Suspects, attempt: LeakAttempt, previousJudged: LeakAttempt | undefined): boolean {
  suspects.native &&= keptRate(attempt, previousJudged, 'native');
  suspects.v8 &&= keptRate(attempt, previousJudged, 'v8');
  return suspects.native || suspects.v8;
}

/** The kind of leak the suspects describe. */
export function leakKind(suspects: Suspects): LeakKind {
  return suspects.native && suspects.v8 ? 'both' : suspects.native ? 'native' : 'v8';
}
