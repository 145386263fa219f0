/**
 * The verdict of a leak check over its attempts. A heap counts as leaking
 * only if it grew in every attempt, each time faster than the tolerance per
 * iteration and by more in total than in the attempt before (which had half
 * the iterations): a leak's growth doubles with the calls, while one-off
 * costs (a cache filling, V8 compiling the code) and the allocator's noise
 * do not. The second rule is psleak's "more calls, more memory".
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

function grewAgain(rate: number | null, tolerance: number, attempt: LeakAttempt, previous: LeakAttempt | undefined, pick: (a: LeakAttempt) => number | null): boolean {
  if (rate === null || !(rate > tolerance)) return false;
  if (previous === undefined) return true;
  const before = pick(previous);
  return before === null || rate * attempt.iterations > before * previous.iterations;
}

/** Updates `suspects` with the newest of `attempts`; returns whether any heap is still suspect. */
export function judge(suspects: Suspects, attempts: readonly LeakAttempt[], tolerance: Required<LeakTolerance>): boolean {
  const attempt = attempts[attempts.length - 1];
  const previous = attempts.length > 1 ? attempts[attempts.length - 2] : undefined;
  const rates = attempt.bytesPerIteration;
  suspects.native &&= grewAgain(rates.native, tolerance.native, attempt, previous, (a) => a.bytesPerIteration.native);
  suspects.v8 &&= grewAgain(rates.v8, tolerance.v8, attempt, previous, (a) => a.bytesPerIteration.v8);
  return suspects.native || suspects.v8;
}

/** The kind of leak the suspects describe. */
export function leakKind(suspects: Suspects): LeakKind {
  return suspects.native && suspects.v8 ? 'both' : suspects.native ? 'native' : 'v8';
}
