/**
 * Calling the function under test and reading memory between rounds of
 * calls. Everything kept across a round is allocated before the round's
 * first reading, so that the harness itself does not grow per call.
 * @packageDocumentation
 */
import { collectAndSettle } from './gc';
import { MeasurementTimeoutError } from './leak-error';
import { trend } from './stats';
import type { LeakAttempt } from './leak-types';
import { sample } from './sample';
import { trimSync } from './trim';
import type { MemorySample } from './types';

/** Readings are taken after this many rounds of calls per attempt (fewer if there are fewer calls). */
export const ROUNDS = 10;
/** At most this long is spent waiting for one settled reading. */
const SETTLE_TIMEOUT_MS = 2000;
/**
 * Readings without garbage collection made during the warm-up. V8 gives a
 * function its feedback vector after 8 calls and then compiles it, so the
 * first ~16 readings would each add a few KB to the V8 heap; these readings
 * (~0.3 ms each) run that code path before anything is measured.
 */
const DRY_READINGS = 20;
const noCollection = (): void => {};

/** One run of `measure()` or `expectNoLeak()`: the function, its deadline and the calls so far. */
export class Run {
  calls = 0;
  private readonly deadline: number;

  constructor(
    private readonly fn: () => unknown,
    private readonly timeoutMs: number,
    private readonly trim: boolean,
  ) {
    this.deadline = performance.now() + timeoutMs;
  }

  private checkDeadline(): void {
    if (performance.now() > this.deadline) throw new MeasurementTimeoutError(this.timeoutMs, this.calls);
  }

  /** Calls the function `count` times, one after the other, awaiting each promise it returns. */
  async call(count: number): Promise<void> {
    const fn = this.fn;
    for (let i = 0; i < count; i++) {
      const result = fn();
      if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof (result as PromiseLike<unknown>).then === 'function') {
        await result;
      }
      this.calls++;
      // Reading the clock costs ~50 ns: check it every 64 calls.
      if ((i & 63) === 63) this.checkDeadline();
    }
    this.checkDeadline();
  }

  /** A sample taken once garbage collection has settled (and after a trim, if asked); `dry` skips the collection. */
  async reading(dry = false): Promise<MemorySample> {
    const remaining = this.deadline - performance.now();
    const timeoutMs = Math.max(1, Math.min(SETTLE_TIMEOUT_MS, remaining));
    const settled = await collectAndSettle(dry ? { timeoutMs, collect: noCollection } : { timeoutMs });
    this.checkDeadline();
    if (!this.trim || dry) return settled;
    trimSync();
    return sample();
  }

  /** The warm-up: `calls` unmeasured calls, spread over readings without garbage collection. */
  async warmUp(calls: number): Promise<void> {
    let done = 0;
    for (let r = 1; r <= DRY_READINGS; r++) {
      const target = Math.round((calls * r) / DRY_READINGS);
      await this.call(target - done);
      done = target;
      await this.reading(true);
    }
  }

  /** One attempt: `iterations` calls in up to {@link ROUNDS} rounds, with a reading before and after each round. */
  async attempt(iterations: number): Promise<LeakAttempt> {
    const started = performance.now();
    const rounds = Math.min(ROUNDS, iterations);
    const n = rounds + 1;
    const calls = new Float64Array(n);
    const nativeInUse = new Float64Array(n);
    const v8Used = new Float64Array(n);
    const v8External = new Float64Array(n);
    const resident = new Float64Array(n);
    let hasHeap = true;
    let hasResident = true;
    const record = (i: number, s: MemorySample): void => {
      if (s.heap === null) hasHeap = false;
      else nativeInUse[i] = s.heap.inUse;
      if (s.process === null) hasResident = false;
      else resident[i] = s.process.resident;
      v8Used[i] = s.v8.used;
      v8External[i] = s.v8.external;
    };
    record(0, await this.reading());
    let done = 0;
    for (let r = 1; r <= rounds; r++) {
      const target = Math.round((iterations * r) / rounds);
      await this.call(target - done);
      done = target;
      calls[r] = done;
      record(r, await this.reading());
    }
    // Theil–Sen: one jump between two readings moves it little; a steady climb gives its full rate.
    const slope = (ys: Float64Array): number => trend(Array.from(calls), Array.from(ys)).slope;
    return {
      iterations,
      rounds,
      durationMs: performance.now() - started,
      series: {
        calls: Array.from(calls),
        nativeInUse: hasHeap ? Array.from(nativeInUse) : null,
        v8Used: Array.from(v8Used),
        v8External: Array.from(v8External),
        resident: hasResident ? Array.from(resident) : null,
      },
      bytesPerIteration: {
        native: hasHeap ? slope(nativeInUse) : null,
        v8: slope(v8Used),
        external: slope(v8External),
        resident: hasResident ? slope(resident) : null,
      },
    };
  }
}
