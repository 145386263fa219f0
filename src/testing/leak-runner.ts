/**
 * Calling the function under test and reading memory between rounds of
 * calls. Everything kept across a round is allocated before the round's
 * first reading, so that the harness itself does not grow per call.
 * @packageDocumentation
 */
import { getHeapCodeStatistics } from 'node:v8';
import { collectAndSettle } from './gc';
import { MeasurementTimeoutError } from './leak-error';
import { noWaits, openResources, waitForIo, type SettleWaits } from './leak-io';
import { trend } from '../diagnose/stats';
import type { JudgedRates, LeakAttempt } from './leak-types';
import { sample } from '../core/sample';
import { trimSync } from '../trim/trim';
import type { MemorySample } from '../core/types';

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

/** A settled sample and the bytes of compiled code in V8's heap read with it. */
interface CodedReading {
  sample: MemorySample;
  codeBytes: number;
}

/**
 * Bytes of V8's heap that are compiled code and bytecode with their
 * metadata. V8 keeps compiling, optimising, deoptimising and flushing code
 * for thousands of calls (on an HTTP GET loop it is most of V8's growth
 * after the first thousand calls: 100-200 B per call, up and down), which
 * is not data the program keeps; the V8 heap is judged without it.
 */
function compiledCodeBytes(): number {
  const code = getHeapCodeStatistics();
  return code.code_and_metadata_size + code.bytecode_and_metadata_size;
}

/** One run of `measure()` or `expectNoLeak()`: the function, its deadline and the calls so far. */
export class Run {
  calls = 0;
  /** What the settled readings waited for. */
  readonly waits: SettleWaits = noWaits();
  private readonly deadline: number;
  /** The reading that ended the last attempt: the start of the next one. */
  private lastReading: CodedReading | undefined;
  /** Handles and requests open at the last reading: what the next one waits to get back to. */
  private resources = openResources();

  constructor(
    private readonly fn: () => unknown,
    private readonly timeoutMs: number,
    private readonly trim: boolean,
    private readonly ioWaitMs: number,
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

  /**
   * A sample taken once the handles the calls opened have closed (or
   * `ioWaitMs` passed) and garbage collection has settled (and after a trim,
   * if asked); `dry` skips the collection and counts nothing.
   */
  async reading(dry = false): Promise<MemorySample> {
    const waits = dry ? noWaits() : this.waits;
    const ioWaitMs = Math.max(0, Math.min(this.ioWaitMs, this.deadline - performance.now()));
    this.resources = await waitForIo(this.resources, ioWaitMs, waits);
    const remaining = this.deadline - performance.now();
    const timeoutMs = Math.max(1, Math.min(SETTLE_TIMEOUT_MS, remaining));
    const collectStarted = performance.now();
    const settled = await collectAndSettle(dry ? { timeoutMs, collect: noCollection } : { timeoutMs, tally: waits });
    waits.collectMs += performance.now() - collectStarted;
    if (!dry) waits.readings++;
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

  /** A settled reading with the bytes of compiled code and bytecode in V8's heap at that moment. */
  private async codedReading(): Promise<CodedReading> {
    const reading = await this.reading();
    return { sample: reading, codeBytes: compiledCodeBytes() };
  }

  /** One attempt: `iterations` calls in up to {@link ROUNDS} rounds, with a reading before and after each round. */
  async attempt(iterations: number, role: LeakAttempt['role'] = 'judged'): Promise<LeakAttempt> {
    const started = performance.now();
    const rounds = Math.min(ROUNDS, iterations);
    const n = rounds + 1;
    const calls = new Float64Array(n);
    const nativeInUse = new Float64Array(n);
    const v8Used = new Float64Array(n);
    const v8Code = new Float64Array(n);
    const v8Data = new Float64Array(n);
    const v8External = new Float64Array(n);
    const resident = new Float64Array(n);
    let hasHeap = true;
    let hasResident = true;
    const record = (i: number, { sample: s, codeBytes }: CodedReading): void => {
      if (s.heap === null) hasHeap = false;
      else nativeInUse[i] = s.heap.inUse;
      if (s.process === null) hasResident = false;
      else resident[i] = s.process.resident;
      v8Used[i] = s.v8.used;
      v8Code[i] = codeBytes;
      v8Data[i] = s.v8.used - codeBytes;
      v8External[i] = s.v8.external;
    };
    // The reading that ended the attempt before starts this one: a second
    // reading right after it would run four more collections with no call
    // in between, after which V8 may flush the bytecode of the function
    // under test (it ages at every full GC) and recompile it in the first
    // round, a jump of tens of KB in V8's heap at the start of each attempt.
    record(0, this.lastReading ?? (await this.codedReading()));
    let done = 0;
    for (let r = 1; r <= rounds; r++) {
      const target = Math.round((iterations * r) / rounds);
      await this.call(target - done);
      done = target;
      calls[r] = done;
      const reading = await this.codedReading();
      record(r, reading);
      if (r === rounds) this.lastReading = reading;
    }
    // Theil–Sen: one jump between two readings moves it little; a steady climb gives its full rate.
    const fit = (ys: Float64Array, from = 0, to = n) => trend(Array.from(calls.subarray(from, to)), Array.from(ys.subarray(from, to)));
    const slope = (ys: Float64Array, from = 0, to = n): number => fit(ys, from, to).slope;
    const middle = rounds >> 1;
    const half = (from: number, to: number): JudgedRates => ({
      native: hasHeap ? slope(nativeInUse, from, to) : null,
      v8: slope(v8Data, from, to),
    });
    return {
      role,
      iterations,
      rounds,
      durationMs: performance.now() - started,
      series: {
        calls: Array.from(calls),
        nativeInUse: hasHeap ? Array.from(nativeInUse) : null,
        v8Used: Array.from(v8Used),
        v8Code: Array.from(v8Code),
        v8External: Array.from(v8External),
        resident: hasResident ? Array.from(resident) : null,
      },
      bytesPerIteration: {
        native: hasHeap ? slope(nativeInUse) : null,
        v8: slope(v8Data),
        v8Code: slope(v8Code),
        external: slope(v8External),
        resident: hasResident ? slope(resident) : null,
      },
      lowBytesPerIteration: { native: hasHeap ? fit(nativeInUse).slopeLow : null, v8: fit(v8Data).slopeLow },
      // With an odd number of rounds the middle reading belongs to both halves; with few rounds, halves are the whole.
      firstHalf: rounds < 4 ? half(0, n) : half(0, middle + 1),
      lastHalf: rounds < 4 ? half(0, n) : half(rounds - middle, n),
    };
  }
}
