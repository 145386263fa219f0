/**
 * The errors of `mallinfo/testing`: a leak found, and a check that ran out
 * of time (which says nothing about a leak).
 * @packageDocumentation
 */
import type { SettleWaits } from './leak-io';
import type { LeakTolerance } from './leak-options';
import { leakMessage, type LeakKind } from './leak-report';
import type { GrowthRates, LeakAttempt, LeakSeries, WarmupReport } from './leak-types';

/**
 * Thrown by `expectNoLeak()` when memory grew faster than the tolerance,
 * without slowing down, in every judged attempt. The message shows the rates, the readings and a hint; the
 * same facts are fields.
 */
export class LeakError extends Error {
  readonly code = 'ERR_MALLINFO_LEAK';
  override readonly name = 'LeakError';
  /** Which heap grew in every attempt: `'native'` (malloc: Buffers, addons), `'v8'` (JS objects) or `'both'`. */
  readonly kind: LeakKind;
  /** Growth per iteration in the last attempt (the one with the most iterations). */
  readonly bytesPerIteration: GrowthRates;
  /** Calls of the function in the last attempt. */
  readonly iterations: number;
  /** The readings of the last attempt. */
  readonly series: LeakSeries;
  /** Every attempt, first to last. */
  readonly attempts: readonly LeakAttempt[];
  /** The tolerance the growth was judged against, bytes per iteration. */
  readonly tolerance: Required<LeakTolerance>;
  /** The warm-up before the judged attempts, and whether growth had leveled off. */
  readonly warmup: WarmupReport;
  /** What the readings waited for before they were taken. */
  readonly waits: SettleWaits;

  constructor(kind: LeakKind, attempts: readonly LeakAttempt[], tolerance: Required<LeakTolerance>, warmup: WarmupReport, waits: SettleWaits) {
    super(leakMessage(kind, attempts, tolerance, warmup, waits));
    const last = attempts[attempts.length - 1];
    this.kind = kind;
    this.bytesPerIteration = last.bytesPerIteration;
    this.iterations = last.iterations;
    this.series = last.series;
    this.attempts = attempts;
    this.tolerance = tolerance;
    this.warmup = warmup;
    this.waits = waits;
  }
}

/** Thrown by `measure()` and `expectNoLeak()` when they run longer than `timeoutMs`. */
export class MeasurementTimeoutError extends Error {
  readonly code = 'ERR_MALLINFO_TIMEOUT';
  override readonly name = 'MeasurementTimeoutError';
  /** The `timeoutMs` that passed, in milliseconds. */
  readonly timeoutMs: number;
  /** Calls of the function made before time ran out (warm-up included). */
  readonly calls: number;

  constructor(timeoutMs: number, calls: number) {
    super(`the measurement did not finish within options.timeoutMs (${timeoutMs} ms) after ${calls} calls; raise timeoutMs or lower iterations`);
    this.timeoutMs = timeoutMs;
    this.calls = calls;
  }
}
