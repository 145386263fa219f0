/**
 * What `measure()` and `expectNoLeak()` report. Every size is in bytes, read
 * with `sample()` after garbage collection has settled.
 * @packageDocumentation
 */
import type { SettleWaits } from './leak-io';
import type { MemorySample } from '../core/types';

/** What {@link measure} reports: the change across the measured calls. */
export interface Measurement {
  /** Calls of `fn` measured (the warm-up calls excluded). */
  iterations: number;
  /** Milliseconds the measured calls took, garbage collection excluded. */
  durationMs: number;
  /** `after − before` of the readings below. */
  change: {
    /** Change in the C heap in use (`heap.inUse`: malloc, Buffers, addons); null where the allocator gives no statistics. */
    nativeInUse: number | null;
    /** Change in resident set size (`process.resident`, from `/proc/self/statm`); null when it cannot be read. */
    resident: number | null;
    /** Change in V8's heap in use (`v8.used`: JS objects). */
    v8Used: number;
    /** Change in V8's external memory (`v8.external`: ArrayBuffers and Buffers, a part of `nativeInUse`). */
    v8External: number;
  };
  /** The sample before the measured calls, after garbage collection. */
  before: MemorySample;
  /** The sample after the measured calls, after garbage collection. */
  after: MemorySample;
  /** What the two readings waited for before they were taken. */
  waits: SettleWaits;
}

/** Readings taken after each round of one attempt, after garbage collection: index 0 before the first call. */
export interface LeakSeries {
  /** Calls of `fn` made in this attempt when each reading was taken: 0, then the end of each round. */
  calls: number[];
  /** `heap.inUse` at each reading; null where the allocator gives no statistics. */
  nativeInUse: number[] | null;
  /** `v8.used` at each reading. */
  v8Used: number[];
  /** Of `v8.used`, the bytes of compiled code and bytecode with their metadata (`v8.getHeapCodeStatistics()`), at each reading. */
  v8Code: number[];
  /** `v8.external` at each reading. */
  v8External: number[];
  /** `process.resident` (RSS) at each reading; null when `/proc/self/statm` cannot be read. */
  resident: number[] | null;
}

/** Growth per iteration of one attempt: the Theil–Sen slope of each series over `calls`. */
export interface GrowthRates {
  /** Of `heap.inUse`, bytes per iteration; null where the allocator gives no statistics. Judged against `tolerance.native`. */
  native: number | null;
  /** Of `v8.used` without compiled code and bytecode (`v8Used − v8Code`: the JS objects the program keeps), bytes per iteration. Judged against `tolerance.v8`. */
  v8: number;
  /** Of V8's compiled code and bytecode, bytes per iteration. Reported, not judged: V8 compiles and discards code for thousands of calls. */
  v8Code: number;
  /** Of `v8.external` (ArrayBuffers, Buffers), bytes per iteration. Reported, not judged: it explains native growth. */
  external: number;
  /** Of RSS, bytes per iteration; null when unreadable. Reported, not judged: RSS also moves with fragmentation. */
  resident: number | null;
}

/** Growth per iteration of the two judged heaps over a part of an attempt. */
export interface JudgedRates {
  /** Of `heap.inUse`, bytes per iteration; null where the allocator gives no statistics. */
  native: number | null;
  /** Of `v8.used` without compiled code and bytecode, bytes per iteration. */
  v8: number;
}

/** One attempt of {@link expectNoLeak}: `iterations` calls in rounds, a reading after each. */
export interface LeakAttempt {
  /**
   * `'judged'` when it counted towards the verdict; `'warmup'` when a heap
   * grew faster than its tolerance but slowing down (its last half grew at
   * less than half the rate of its first half), so the attempt was taken as
   * warm-up and made again.
   */
  role: 'judged' | 'warmup';
  /** Calls of `fn` in this attempt. */
  iterations: number;
  /** Rounds the calls were split into (a reading after each). */
  rounds: number;
  /** Milliseconds the attempt took, garbage collection included. */
  durationMs: number;
  /** The readings. */
  series: LeakSeries;
  /** Growth per iteration in this attempt. */
  bytesPerIteration: GrowthRates;
  /**
   * The low end of the 95 % confidence interval of the growth per iteration
   * over the whole attempt (Sen's interval around the Theil–Sen slope): a
   * heap grows faster than its tolerance only if this does too, so noisy
   * readings (I/O) cannot pass for growth.
   */
  lowBytesPerIteration: JudgedRates;
  /** Growth per iteration over the first half of the rounds (Theil–Sen). */
  firstHalf: JudgedRates;
  /** Growth per iteration over the last half of the rounds (Theil–Sen): a leak keeps growing there, a warm-up fades. */
  lastHalf: JudgedRates;
}

/** The warm-up of a check: the calls made before the attempts that were judged. */
export interface WarmupReport {
  /** Calls of `fn` not judged: `options.warmup` plus the attempts taken as warm-up. */
  calls: number;
  /** Of these, the calls added because growth was still fading (attempts with role `'warmup'`). */
  extended: number;
  /** False when `maxWarmup` ran out while growth was still fading: the judged attempts may include the tail of a warm-up. */
  leveledOff: boolean;
}

/** What {@link expectNoLeak} resolves to when memory did not grow. */
export interface LeakCheck {
  /** The attempts made, warm-up attempts included; the last one is the one within tolerance. */
  attempts: LeakAttempt[];
  /** Measured calls over all attempts (`options.warmup` excluded). */
  iterations: number;
  /** Milliseconds the whole check took, warm-up included. */
  durationMs: number;
  /** The growth rates of the last attempt. */
  bytesPerIteration: GrowthRates;
  /** The warm-up: how many calls, how many of them added automatically, and whether growth leveled off. */
  warmup: WarmupReport;
  /** What the readings waited for before they were taken: collections, finalizers, handles closing. */
  waits: SettleWaits;
}
